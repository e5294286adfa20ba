package dev.onyx.embed.internal;

import static dev.onyx.embed.internal.BertCharacters.isChinese;
import static dev.onyx.embed.internal.BertCharacters.isControl;
import static dev.onyx.embed.internal.BertCharacters.isPunctuation;
import static dev.onyx.embed.internal.BertCharacters.isWhitespace;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The BERT tokenizer pipeline of Hugging Face's {@code tokenizers} in plain Java: {@code BertNormalizer} →
 * {@code BertPreTokenizer} → {@code WordPiece} → {@code [CLS] A [SEP]}, with special added tokens matched in the raw
 * text. Loading it takes a JSON parse instead of a native library, and it tokenizes several times faster than a call
 * through JNI. Immutable, so thread-safe.
 *
 * <p>It serves a tokenizer.json only when that file describes exactly this pipeline ({@link #from}, read by {@link
 * WordPieceJson}), and a text only when every character of it lies in the Basic Multilingual Plane and outside a small
 * declined set ({@link #encode} returns null otherwise; {@link BertCharacters}): that is where the test suite proves,
 * character by character against the Rust implementation, that the Unicode tables agree. Anything else goes to the
 * Rust tokenizer.
 */
final class BertWordPiece {
    private final boolean cleanText;
    private final boolean chineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;
    private final Map<String, Integer> vocab;
    private final String prefix; // continuing_subword_prefix, "##"
    private final int maxId;
    private final int unkId;
    private final String unkToken;
    private final int maxInputChars;
    private final String clsToken;
    private final int clsId;
    private final String sepToken;
    private final int sepId;
    private final List<Map.Entry<String, Integer>> specials; // longest first

    private BertWordPiece(WordPieceSpec spec) {
        this.cleanText = spec.cleanText();
        this.chineseChars = spec.chineseChars();
        this.stripAccents = spec.stripAccents();
        this.lowercase = spec.lowercase();
        this.vocab = spec.vocab();
        this.prefix = spec.prefix();
        int max = spec.specials().values().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(-1);
        for (int id : vocab.values()) max = Math.max(max, id);
        this.maxId = max;
        this.unkToken = spec.unkToken();
        this.unkId = vocab.get(unkToken);
        this.maxInputChars = spec.maxInputChars();
        this.clsToken = spec.clsToken();
        this.clsId = spec.clsId();
        this.sepToken = spec.sepToken();
        this.sepId = spec.sepId();
        this.specials = longestFirst(spec.specials());
    }

    /** The pipeline of {@code tokenizerJson}, or empty when the file describes anything else. */
    static Optional<BertWordPiece> from(byte[] tokenizerJson) {
        return WordPieceJson.read(tokenizerJson).map(BertWordPiece::new);
    }

    /** {@link #from}, through a binary copy in {@code cacheDirectory} ({@link WordPieceCache}). */
    static Optional<BertWordPiece> cached(byte[] tokenizerJson, Path cacheDirectory) {
        return WordPieceCache.cached(tokenizerJson, cacheDirectory).map(BertWordPiece::new);
    }

    /** Special tokens in matching order: longer first, so one that contains another wins. */
    static List<Map.Entry<String, Integer>> longestFirst(Map<String, Integer> specials) {
        return specials.entrySet().stream()
                .sorted(Comparator.comparingInt(
                        (Map.Entry<String, Integer> e) -> -e.getKey().length()))
                .toList();
    }

    /** The largest id it can produce: its vocabulary's and special tokens'. */
    int maxTokenId() {
        return maxId;
    }

    /** Token ids with [CLS] and [SEP], untruncated; null when the text has a character this side does not serve. */
    TokenizedText encode(String text) {
        if (!BertCharacters.serves(text)) {
            return null;
        }
        List<Integer> ids = new ArrayList<>(text.length() / 3 + 2);
        ids.add(clsId);
        pieces(text, ids, null);
        ids.add(sepId);
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.get(i);
        return new TokenizedText(out, 1, 1);
    }

    /** The token strings with [CLS] and [SEP]; null when the text has a character this side does not serve. */
    List<String> tokens(String text) {
        if (!BertCharacters.serves(text)) {
            return null;
        }
        List<String> tokens = new ArrayList<>();
        tokens.add(clsToken);
        pieces(text, new ArrayList<>(), tokens);
        tokens.add(sepToken);
        return tokens;
    }

    /** Splits on special added tokens, then tokenizes the plain stretches between them. */
    private void pieces(String text, List<Integer> ids, List<String> tokens) {
        int plainStart = 0;
        if (!specials.isEmpty()) {
            for (int i = 0; i < text.length(); i++) {
                Map.Entry<String, Integer> special = specialAt(text, i);
                if (special != null) {
                    plain(text.substring(plainStart, i), ids, tokens);
                    ids.add(special.getValue());
                    if (tokens != null) tokens.add(special.getKey());
                    i += special.getKey().length() - 1;
                    plainStart = i + 1;
                }
            }
        }
        plain(text.substring(plainStart), ids, tokens);
    }

    private Map.Entry<String, Integer> specialAt(String text, int i) {
        for (Map.Entry<String, Integer> special : specials) {
            if (text.startsWith(special.getKey(), i)) return special;
        }
        return null;
    }

    private void plain(String text, List<Integer> ids, List<String> tokens) {
        if (text.isEmpty()) {
            return;
        }
        String normalized = normalize(text);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (isWhitespace(c)) {
                wordPiece(word, ids, tokens);
            } else if (isPunctuation(c)) {
                wordPiece(word, ids, tokens);
                word.append(c);
                wordPiece(word, ids, tokens);
            } else {
                word.append(c);
            }
        }
        wordPiece(word, ids, tokens);
    }

    /** BertNormalizer: clean text, space out CJK ideographs, strip accents (NFD, drop Mn), lowercase. */
    String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        boolean ascii = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (cleanText) {
                if (c == 0 || c == 0xFFFD || isControl(c)) continue;
                if (isWhitespace(c)) {
                    out.append(' ');
                    continue;
                }
            }
            if (chineseChars && isChinese(c)) {
                out.append(' ').append(c).append(' ');
                ascii = false;
                continue;
            }
            ascii &= c < 0x80;
            out.append(c);
        }
        String s = out.toString();
        if (ascii) {
            return lowercase ? asciiLower(s) : s;
        }
        if (stripAccents) {
            String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(nfd.length());
            for (int i = 0; i < nfd.length(); i++) {
                char c = nfd.charAt(i);
                if (Character.getType(c) != Character.NON_SPACING_MARK) kept.append(c);
            }
            s = kept.toString();
        }
        if (lowercase) {
            // per character, as Rust's char::to_lowercase: no context rules (final sigma), full mappings kept
            StringBuilder lower = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
                else lower.append(String.valueOf(c).toLowerCase(Locale.ROOT));
            }
            s = lower.toString();
        }
        return s;
    }

    private static String asciiLower(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') chars[i] += 32;
        }
        return new String(chars);
    }

    /** Greedy longest-match-first WordPiece over one word; a word with an unmatched rest becomes [UNK]. */
    private void wordPiece(StringBuilder word, List<Integer> ids, List<String> tokens) {
        int n = word.length();
        if (n == 0) {
            return;
        }
        String w = word.toString();
        word.setLength(0);
        if (w.length() > maxInputChars) {
            unknown(ids, tokens);
            return;
        }
        int mark = ids.size();
        int tokenMark = tokens == null ? 0 : tokens.size();
        int start = 0;
        while (start < n) {
            Integer id = null;
            int end = n;
            for (; end > start; end--) {
                id = vocab.get(start == 0 ? w.substring(0, end) : prefix + w.substring(start, end));
                if (id != null) break;
            }
            if (id == null) {
                while (ids.size() > mark) ids.remove(ids.size() - 1);
                if (tokens != null) {
                    while (tokens.size() > tokenMark) tokens.remove(tokens.size() - 1);
                }
                unknown(ids, tokens);
                return;
            }
            ids.add(id);
            if (tokens != null) tokens.add(start == 0 ? w.substring(0, end) : prefix + w.substring(start, end));
            start = end;
        }
    }

    private void unknown(List<Integer> ids, List<String> tokens) {
        ids.add(unkId);
        if (tokens != null) tokens.add(unkToken);
    }
}
