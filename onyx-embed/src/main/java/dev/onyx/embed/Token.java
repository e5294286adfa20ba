package dev.onyx.embed;

import java.util.Objects;

/**
 * One token of a tokenized text, as {@link Embedder#tokenize(String, boolean)} returns it; an immutable value.
 *
 * @param id the token id the model is fed
 * @param piece the tokenizer's own string for it: a word piece such as {@code ##ing}, or a special token such as
 *     {@code [CLS]}
 * @param special whether the tokenizer added it (such as {@code [CLS]} or {@code [SEP]}) rather than read it from the text
 * @param start index in the text (a {@code String} index, as for {@link String#substring(int, int)}) of its first
 *     character; -1 for a special token
 * @param end index after its last character; -1 for a special token
 */
public record Token(long id, String piece, boolean special, int start, int end) {
    public Token {
        Objects.requireNonNull(piece, "piece");
        if (special ? start != -1 || end != -1 : start < 0 || end < start) {
            throw new IllegalArgumentException("token " + piece + " has offsets " + start + ".." + end
                    + "; a special token has -1..-1, any other 0 <= start <= end");
        }
    }
}
