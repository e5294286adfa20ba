package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java BERT tokenizer against the Rust one (Hugging Face {@code tokenizers} through DJL), as the oracle: every
 * character of the Basic Multilingual Plane in context, a sample of the State of the Union corpus, seeded random
 * strings of mixed scripts, marks, controls, whitespace, special tokens and over-long words, and texts outside the BMP
 * (which the Java side must decline and the Rust one then serve).
 */
class BertWordPieceParityTest {
    private static final List<String> MODELS = List.of("all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2");
    private static List<String> corpus;

    @BeforeAll
    static void loadCorpus() throws IOException {
        try (InputStream in = BertWordPieceParityTest.class.getResourceAsStream("/corpus/sotu-every-8th.txt")) {
            corpus = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        }
        assertThat(corpus).hasSizeGreaterThan(3000);
    }

    @AfterAll
    static void release() {
        corpus = null;
    }

    static Stream<String> models() {
        return MODELS.stream();
    }

    private static HfTokenizer open(String model) throws IOException {
        Catalog.Entry entry = Catalog.find(model).orElseThrow();
        ModelDescriptor descriptor = BundledModels.resolve(entry);
        HfTokenizer tokenizer = HfTokenizer.load(descriptor);
        assertThat(tokenizer.javaWordPiece())
                .as("%s is served by the Java WordPiece", model)
                .isTrue();
        return tokenizer;
    }

    private static void assertSame(HfTokenizer tokenizer, List<String> texts, String what) {
        List<TokenizedText> ours = tokenizer.encode(texts);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            long[] expected = tokenizer.rustIds(texts.get(i));
            if (!Arrays.equals(ours.get(i).ids(), expected)) {
                if (mismatches.size() < 10) {
                    mismatches.add(codePoints(texts.get(i)) + " java "
                            + Arrays.toString(ours.get(i).ids()) + " rust "
                            + Arrays.toString(expected));
                } else {
                    mismatches.add("...");
                    break;
                }
            }
        }
        assertThat(mismatches).as("%s: texts whose token ids differ", what).isEmpty();
    }

    private static String codePoints(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(12).forEach(cp -> b.append(String.format("U+%04X ", cp)));
        return b.toString().trim();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyBmpCharacterInContextTokenizesAsInRust(String model) throws IOException {
        try (HfTokenizer tokenizer = open(model)) {
            List<Character> chars = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (char c = 1; c < 0xFFFF; c++) {
                if (!BertCharacters.serves(c)) continue; // declined: the Rust side answers, checked below
                chars.add(c);
                // alone, glued to letters (punctuation splits, marks attach), doubled, after a capital (lowercasing)
                texts.add("a" + c + "b " + c + " X" + c + c + ".");
            }
            List<TokenizedText> ours = tokenizer.encode(texts);
            StringBuilder differing = new StringBuilder();
            int count = 0;
            for (int i = 0; i < texts.size(); i++) {
                if (!Arrays.equals(ours.get(i).ids(), tokenizer.rustIds(texts.get(i)))) {
                    count++;
                    differing.append(String.format("%04X ", (int) chars.get(i)));
                }
            }
            assertThat(count)
                    .as("%s: BMP characters tokenized differently: %s", model, differing)
                    .isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void theCorpusTokenizesAsInRust(String model) throws IOException {
        try (HfTokenizer tokenizer = open(model)) {
            assertSame(tokenizer, corpus, model + " corpus");
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void randomMixedStringsTokenizeAsInRust(String model) throws IOException {
        String[] parts = {
            "Hello",
            "WORLD",
            "don't",
            "e-mail",
            "naïve",
            "Ærøskøbing",
            "İstanbul",
            "ΣΊΣΥΦΟΣ",
            "ß",
            "ﬁ",
            "Ⅻ",
            "½",
            "東京",
            "日本語",
            "한국어",
            "Привет",
            "مرحبا",
            "עברית",
            "हिन्दी",
            "ไทย",
            "e\u0301",
            "\u0301",
            "\u200B",
            "\u00AD",
            "\t",
            "\n",
            "\r\n",
            "\u00A0",
            "\u3000",
            "\u2028",
            "\u0000",
            "\uFFFD",
            "\u0007",
            "[CLS]",
            "[SEP]",
            "[MASK]",
            "[UNK]",
            "[PAD]",
            "[cls]",
            "[MASK",
            "##ing",
            "...",
            "—",
            "“quoted”",
            "$1,000.00",
            "3.14159",
            "x".repeat(101),
            "y".repeat(100),
            "supercalifragilisticexpialidocious",
            "\uE000",
            "\uFFFF",
            "\u0378",
            "\u2E52",
            "\uA7C0",
            " ",
            "  ",
            ","
        };
        Random random = new Random(20261129);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0, n = 1 + random.nextInt(12); k < n; k++) {
                if (random.nextInt(4) == 0) {
                    text.append((char) (random.nextInt(0xD7FF) + 1));
                } else {
                    text.append(parts[random.nextInt(parts.length)]);
                }
                if (random.nextBoolean()) text.append(' ');
            }
            texts.add(text.toString());
        }
        try (HfTokenizer tokenizer = open(model)) {
            assertSame(tokenizer, texts, model + " random strings");
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void textsOutsideTheBmpAreDeclinedByJavaAndServedByRust(String model) throws IOException {
        List<String> texts = List.of(
                "Emoji 😀 and 🥰 in a sentence.",
                "𝐁𝐨𝐥𝐝 math letters",
                "Rare CJK 𠀀𪜀 ideographs",
                "plain text too");
        Optional<BertWordPiece> java = BertWordPiece.from(bytes(model));
        assertThat(java).isPresent();
        assertThat(java.get().encode(texts.get(0))).isNull();
        assertThat(java.get().tokens(texts.get(1))).isNull();
        assertThat(java.get().encode(texts.get(3))).isNotNull();
        try (HfTokenizer tokenizer = open(model)) {
            assertSame(tokenizer, texts, model + " outside the BMP");
            assertThat(tokenizer.tokens(texts.get(0))).contains("[UNK]", "sentence");
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void declinedCharactersGoToRust(String model) throws IOException {
        List<String> texts = new ArrayList<>();
        for (char c = 0x80; c < 0xFFFF; c++) {
            if (!Character.isSurrogate(c) && !BertCharacters.serves(c)) texts.add("a" + c + "b " + c + " X" + c + c);
        }
        assertThat(texts).hasSizeBetween(1_000, 6_000); // unassigned in Unicode 13, plus 63 where the tables differ
        BertWordPiece java = BertWordPiece.from(bytes(model)).orElseThrow();
        assertThat(java.encode(texts.get(0))).isNull();
        try (HfTokenizer tokenizer = open(model)) {
            assertSame(tokenizer, texts, model + " declined characters");
        }
    }

    @org.junit.jupiter.api.Test
    void theUnassignedListStillCoversWhatThisJdkLeavesUnassigned() {
        // unassigned sets only shrink as Unicode grows: on JDK 17 or later, every BMP character this JDK leaves
        // unassigned must be declined (else a JDK older than the list would slip through)
        for (char c = 0; c < 0xFFFF; c++) {
            if (!Character.isSurrogate(c) && Character.getType(c) == Character.UNASSIGNED) {
                assertThat(BertCharacters.serves(c)).as("U+%04X", (int) c).isFalse();
            }
        }
    }

    private static byte[] bytes(String model) throws IOException {
        Catalog.Entry entry = Catalog.find(model).orElseThrow();
        try (InputStream in =
                BertWordPieceParityTest.class.getClassLoader().getResourceAsStream(entry.tokenizerResource())) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void tokenStringsMatchRust(String model) throws IOException {
        try (HfTokenizer tokenizer = open(model)) {
            for (String text :
                    List.of("Hello, World! naïve café", "unaffable [MASK] tokenizers", "東京 is in 日本", corpus.get(7))) {
                assertThat(tokenizer.tokens(text)).as(text).isEqualTo(rustTokens(tokenizer, text));
            }
        }
    }

    private static List<String> rustTokens(HfTokenizer tokenizer, String text) {
        // an emoji makes the Java side decline, so tokens() must come from Rust; strip it back off
        List<String> withEmoji = tokenizer.tokens(text + " 😀");
        List<String> out = new ArrayList<>(withEmoji);
        out.remove(out.size() - 2); // the [UNK] of the emoji, before [SEP]
        return out;
    }
}
