package dev.onyx.embed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * The character classes of Hugging Face's BERT normalizer and pre-tokenizer, as the Rust implementation computes them
 * for BMP characters, and the set of characters the Java side declines to serve; stateless after class
 * initialization, so thread-safe.
 */
final class BertCharacters {
    /**
     * BMP characters the Java side does not serve: those Unicode 13 (JDK 17) left unassigned, whose classification a
     * newer JDK may change, and those where JDK 17's tables and the Rust implementation's disagree (marks and
     * punctuation added in Unicode 10–13), found by the exhaustive test against the Rust tokenizer.
     */
    private static final BitSet DECLINED = declined();

    private static final String RUST_DISAGREES = "\u07FD\u08D3\u08D4\u08D5\u08D6\u08D7\u08D8\u08D9\u08DA\u08DB\u08DC"
            + "\u08DD\u08DE\u08DF\u08E0\u08E1\u08E2\u09FD\u09FE\u0A76\u0AFA\u0AFB\u0AFC\u0AFD\u0AFE\u0AFF\u0B55"
            + "\u0C04\u0C77\u0C84\u0D00\u0D3B\u0D3C\u0D81\u0EBA\u166D\u1885\u1886\u1ABF\u1AC0\u1DF6\u1DF7\u1DF8"
            + "\u1DF9\u1DFB\u2E43\u2E44\u2E45\u2E46\u2E47\u2E48\u2E49\u2E4A\u2E4B\u2E4C\u2E4D\u2E4E\u2E4F\u2E52"
            + "\uA82C\uA8C5\uA8FF\uA9BD";

    private BertCharacters() {}

    /** Whether every character is one the Java side serves (in the BMP and not declined). */
    static boolean serves(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && (Character.isSurrogate(c) || DECLINED.get(c))) return false;
        }
        return true;
    }

    /** Whether the Java side serves texts with this character. */
    static boolean serves(char c) {
        return !Character.isSurrogate(c) && !DECLINED.get(c);
    }

    private static BitSet declined() {
        BitSet set = new BitSet(0x10000);
        for (int i = 0; i < RUST_DISAGREES.length(); i++) set.set(RUST_DISAGREES.charAt(i));
        try (InputStream in = BertCharacters.class.getResourceAsStream("bmp-unassigned-unicode13.txt")) {
            if (in == null) {
                throw new IllegalStateException("bmp-unassigned-unicode13.txt is missing from onyx-embed's jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] range = line.trim().split("-");
                set.set(Integer.parseInt(range[0], 16), Integer.parseInt(range[1], 16) + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read onyx-embed's bmp-unassigned-unicode13.txt", e);
        }
        return set;
    }

    /** Rust's {@code char::is_whitespace} (the Unicode White_Space property), within the BMP. */
    static boolean isWhitespace(char c) {
        return switch (c) {
            case ' ',
                    '\t',
                    '\n',
                    '\r',
                    '\u000B',
                    '\u000C',
                    '\u0085',
                    '\u00A0',
                    '\u1680',
                    '\u2028',
                    '\u2029',
                    '\u202F',
                    '\u205F',
                    '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    /**
     * HF's {@code is_control}: categories Cc, Cf, Co, Cs, except tab, newline and carriage return. (Unassigned
     * characters stay, as in the Rust implementation.)
     */
    static boolean isControl(char c) {
        if (c == '\t' || c == '\n' || c == '\r') return false;
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** HF's {@code is_bert_punc}: ASCII punctuation or a Unicode punctuation category (Pc Pd Ps Pe Pi Pf Po). */
    static boolean isPunctuation(char c) {
        if (c < 0x80) {
            return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK ideograph blocks BERT spaces out (the BMP ones). */
    static boolean isChinese(char c) {
        return (c >= '\u4E00' && c <= '\u9FFF') || (c >= '\u3400' && c <= '\u4DBF') || (c >= '\uF900' && c <= '\uFAFF');
    }
}
