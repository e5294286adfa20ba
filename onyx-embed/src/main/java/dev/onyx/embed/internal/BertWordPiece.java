package dev.onyx.embed.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The BERT tokenizer pipeline of Hugging Face's {@code tokenizers} in plain Java: {@code BertNormalizer} →
 * {@code BertPreTokenizer} → {@code WordPiece} → {@code [CLS] A [SEP]}, with special added tokens matched in the raw
 * text. Loading it takes a JSON parse instead of a native library, and it tokenizes several times faster than a call
 * through JNI. Immutable, so thread-safe.
 *
 * <p>It serves a tokenizer.json only when that file describes exactly this pipeline ({@link #from}), and a text only
 * when every character of it lies in the Basic Multilingual Plane and outside a small declined set ({@link #encode}
 * returns null otherwise): that is where the test suite proves, character by character against the Rust
 * implementation, that the Unicode tables agree. Anything else goes to the Rust tokenizer.
 */
final class BertWordPiece {
    /** Created on first use: building an ObjectMapper costs a cold JVM ~400 ms, which a cached open never pays. */
    private static final class Trees {
        static final ObjectMapper JSON = new ObjectMapper(HfTokenizer.JSON);
    }
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

    private BertWordPiece(
            boolean[] flags,
            Map<String, Integer> vocab,
            String prefix,
            String unkToken,
            int maxInputChars,
            String clsToken,
            int clsId,
            String sepToken,
            int sepId,
            Map<String, Integer> specials) {
        this.cleanText = flags[0];
        this.chineseChars = flags[1];
        this.stripAccents = flags[2];
        this.lowercase = flags[3];
        this.vocab = vocab;
        this.prefix = prefix;
        int max = specials.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        for (int id : vocab.values()) max = Math.max(max, id);
        this.maxId = max;
        this.unkToken = unkToken;
        this.unkId = vocab.get(unkToken);
        this.maxInputChars = maxInputChars;
        this.clsToken = clsToken;
        this.clsId = clsId;
        this.sepToken = sepToken;
        this.sepId = sepId;
        this.specials = specials.entrySet().stream()
                .sorted(Comparator.comparingInt(
                        (Map.Entry<String, Integer> e) -> -e.getKey().length()))
                .toList();
    }

    private static final Set<String> TREES = Set.of("normalizer", "pre_tokenizer", "post_processor", "added_tokens");

    /** Whether a small top-level part is of the kind this pipeline needs (added tokens are checked later). */
    private static boolean expectedType(String field, JsonNode tree) {
        String type = tree.path("type").asText();
        return switch (field) {
            case "normalizer" -> type.equals("BertNormalizer");
            case "pre_tokenizer" -> type.equals("BertPreTokenizer");
            case "post_processor" -> type.equals("TemplateProcessing");
            default -> true;
        };
    }

    /** The pipeline of {@code tokenizerJson}, or empty when the file describes anything else. */
    static Optional<BertWordPiece> from(byte[] tokenizerJson) {
        // one streaming pass: the vocabulary (~30,000 entries) straight into a map, the small parts as trees
        Map<String, Integer> vocab = new HashMap<>();
        ObjectNode root = Trees.JSON.createObjectNode();
        ObjectNode model = Trees.JSON.createObjectNode();
        try (JsonParser p = HfTokenizer.JSON.createParser(tokenizerJson)) {
            p.setCodec(Trees.JSON);
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("model") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if (name.equals("vocab") && v == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String piece = p.currentName();
                                p.nextToken();
                                vocab.put(piece, p.getValueAsInt(-1));
                            }
                            model.put("vocab", true);
                        } else {
                            model.set(name, p.readValueAsTree());
                        }
                    }
                } else if (TREES.contains(field)) {
                    JsonNode tree = p.readValueAsTree();
                    root.set(field, tree);
                    if (!expectedType(field, tree)) {
                        return Optional.empty(); // another kind of tokenizer: skip the rest, vocabulary included
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // the Rust tokenizer reports what is wrong with the file
        }
        JsonNode normalizer = root.path("normalizer");
        JsonNode template = root.path("post_processor");
        if (!normalizer.path("type").asText().equals("BertNormalizer")
                || !root.path("pre_tokenizer").path("type").asText().equals("BertPreTokenizer")
                || !model.path("type").asText().equals("WordPiece")
                || vocab.isEmpty()
                || vocab.containsValue(-1)
                || !template.path("type").asText().equals("TemplateProcessing")) {
            return Optional.empty();
        }
        String prefix = model.path("continuing_subword_prefix").asText("##");
        String unk = model.path("unk_token").asText("[UNK]");
        int maxChars = model.path("max_input_chars_per_word").asInt(100);
        if (!vocab.containsKey(unk) || prefix.isEmpty()) {
            return Optional.empty();
        }
        // exactly [CLS] A [SEP] for a single sequence
        JsonNode single = template.path("single");
        if (single.size() != 3
                || !single.get(1).path("Sequence").path("id").asText().equals("A")
                || !single.get(0).has("SpecialToken")
                || !single.get(2).has("SpecialToken")) {
            return Optional.empty();
        }
        String cls = single.get(0).path("SpecialToken").path("id").asText();
        String sep = single.get(2).path("SpecialToken").path("id").asText();
        Integer clsId = specialId(template, cls);
        Integer sepId = specialId(template, sep);
        if (clsId == null || sepId == null) {
            return Optional.empty();
        }
        Map<String, Integer> specials = new HashMap<>();
        for (JsonNode added : root.path("added_tokens")) {
            // only the plain kind: matched verbatim in the raw text, no stripping, not limited to whole words
            if (added.path("normalized").asBoolean(true)
                    || added.path("lstrip").asBoolean(false)
                    || added.path("rstrip").asBoolean(false)
                    || added.path("single_word").asBoolean(false)
                    || !added.path("special").asBoolean(false)
                    || added.path("content").asText().isEmpty()) {
                return Optional.empty();
            }
            specials.put(added.path("content").asText(), added.path("id").asInt());
        }
        boolean lowercase = normalizer.path("lowercase").asBoolean(true);
        JsonNode strip = normalizer.path("strip_accents");
        boolean[] flags = {
            normalizer.path("clean_text").asBoolean(true),
            normalizer.path("handle_chinese_chars").asBoolean(true),
            strip.isBoolean() ? strip.asBoolean() : lowercase,
            lowercase
        };
        return Optional.of(new BertWordPiece(flags, vocab, prefix, unk, maxChars, cls, clsId, sep, sepId, specials));
    }

    private static final byte[] MAGIC = "onyx-wordpiece-1".getBytes(StandardCharsets.US_ASCII);

    /**
     * {@link #from}, through a binary copy in Onyx's cache keyed by checksums of the tokenizer.json: on a cold JVM,
     * decoding ~30,000 vocabulary entries from JSON costs ~300 ms of CPU that ONNX Runtime's session build, running
     * at the same time, needs on a 2-core machine; the binary copy reads in a fraction of that. A missing, stale or
     * unreadable copy is rebuilt from the JSON; failing to write one is not an error.
     */
    static Optional<BertWordPiece> cached(byte[] tokenizerJson, Path cacheDirectory) {
        Path file = cacheDirectory.resolve(key(tokenizerJson) + ".wordpiece");
        if (Files.isRegularFile(file)) {
            try {
                return Optional.of(read(Files.readAllBytes(file)));
            } catch (IOException | RuntimeException e) {
                // stale or damaged: rebuild below
            }
        }
        Optional<BertWordPiece> parsed = from(tokenizerJson);
        parsed.ifPresent(wordPiece -> wordPiece.writeQuietly(file));
        return parsed;
    }

    /**
     * The copy's name: size, CRC-32C and CRC-32 of the JSON (64 bits of checksum; SHA-256's provider alone costs ~50 ms
     * on a cold JVM, more than reading the copy).
     */
    private static String key(byte[] bytes) {
        java.util.zip.CRC32C crc32c = new java.util.zip.CRC32C();
        crc32c.update(bytes);
        java.util.zip.CRC32 crc32 = new java.util.zip.CRC32();
        crc32.update(bytes);
        return String.format("%d-%08x-%08x", bytes.length, crc32c.getValue(), crc32.getValue());
    }

    private void writeQuietly(Path file) {
        try {
            Files.createDirectories(file.getParent());
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512 * 1024);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(MAGIC);
                for (boolean flag : new boolean[] {cleanText, chineseChars, stripAccents, lowercase}) {
                    out.writeBoolean(flag);
                }
                out.writeUTF(prefix);
                out.writeUTF(unkToken);
                out.writeInt(maxInputChars);
                out.writeUTF(clsToken);
                out.writeInt(clsId);
                out.writeUTF(sepToken);
                out.writeInt(sepId);
                out.writeInt(specials.size());
                for (Map.Entry<String, Integer> e : specials) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue());
                }
                out.writeInt(vocab.size());
                for (Map.Entry<String, Integer> e : vocab.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue());
                }
                out.write(MAGIC); // a truncated file fails the trailing check
            }
            Path temp =
                    Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            try {
                Files.write(temp, bytes.toByteArray());
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            // a read-only or full cache only costs the next open the JSON parse
        }
    }

    private static BertWordPiece read(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            checkMagic(in);
            boolean[] flags = {in.readBoolean(), in.readBoolean(), in.readBoolean(), in.readBoolean()};
            String prefix = in.readUTF();
            String unk = in.readUTF();
            int maxChars = in.readInt();
            String cls = in.readUTF();
            int clsId = in.readInt();
            String sep = in.readUTF();
            int sepId = in.readInt();
            Map<String, Integer> specials = new HashMap<>();
            for (int i = 0, n = in.readInt(); i < n; i++) specials.put(in.readUTF(), in.readInt());
            int n = in.readInt();
            if (n <= 0 || n > 10_000_000) throw new IOException("bad vocabulary size " + n);
            Map<String, Integer> vocab = new HashMap<>(n * 4 / 3 + 1);
            for (int i = 0; i < n; i++) vocab.put(in.readUTF(), in.readInt());
            checkMagic(in);
            if (!vocab.containsKey(unk) || prefix.isEmpty()) throw new IOException("inconsistent copy");
            return new BertWordPiece(flags, vocab, prefix, unk, maxChars, cls, clsId, sep, sepId, specials);
        }
    }

    private static void checkMagic(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new IOException("not an Onyx WordPiece copy");
    }

    private static Integer specialId(JsonNode template, String token) {
        JsonNode ids = template.path("special_tokens").path(token).path("ids");
        return ids.size() == 1 ? ids.get(0).asInt() : null;
    }

    /** The largest id it can produce: its vocabulary's and special tokens'. */
    int maxTokenId() {
        return maxId;
    }

    /** Token ids with [CLS] and [SEP], untruncated; null when the text has a character this side does not serve. */
    TokenizedText encode(String text) {
        if (!serves(text)) {
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
        if (!serves(text)) {
            return null;
        }
        List<String> tokens = new ArrayList<>();
        tokens.add(clsToken);
        pieces(text, new ArrayList<>(), tokens);
        tokens.add(sepToken);
        return tokens;
    }

    /** Whether every character is one the Java side serves (in the BMP and not {@link #DECLINED}). */
    private static boolean serves(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && (Character.isSurrogate(c) || DECLINED.get(c))) return false;
        }
        return true;
    }

    private static BitSet declined() {
        BitSet set = new BitSet(0x10000);
        for (int i = 0; i < RUST_DISAGREES.length(); i++) set.set(RUST_DISAGREES.charAt(i));
        try (InputStream in = BertWordPiece.class.getResourceAsStream("bmp-unassigned-unicode13.txt")) {
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

    /** Whether the Java side serves texts with this character (for tests). */
    static boolean serves(char c) {
        return !Character.isSurrogate(c) && !DECLINED.get(c);
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
