package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.InvalidModelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HfTokenizerTest {
    private static long maxId(String json) throws InvalidModelException {
        return HfTokenizer.maxTokenId(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }

    @Test
    void maxTokenIdIsTheLargestVocabularyOrAddedTokenId() throws Exception {
        String json = """
                {"version": "1.0", "truncation": {"max_length": 128},
                 "added_tokens": [{"id": 0, "content": "[PAD]"}, {"content": "[X]", "id": 7, "special": true}],
                 "normalizer": {"type": "BertNormalizer", "nested": {"vocab": {"ignored": 999}}},
                 "model": {"type": "WordPiece", "vocab": {"[PAD]": 0, "a": 5, "b": 3}, "unk_token": "[UNK]"}}
                """;

        assertThat(maxId(json)).isEqualTo(7);
        assertThat(maxId(json.replace("\"b\": 3", "\"b\": 30"))).isEqualTo(30);
    }

    @Test
    void anArrayVocabularyCountsItsEntries() throws Exception {
        String unigram =
                "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", -1.0], [\"b\", -2.0], [\"c\", -3.5]]}}";

        assertThat(maxId(unigram)).isEqualTo(2);
    }

    @Test
    void theBundledTokenizerReachesItsLastWordPiece() throws Exception {
        byte[] json;
        try (var in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            json = in.readAllBytes();
        }

        assertThat(HfTokenizer.maxTokenId(json, "bundled")).isEqualTo(30521); // bert-base-uncased: 30,522 ids
    }

    @Test
    void tokenizersWithoutVocabularyOrValidJsonAreRejected() {
        assertThatThrownBy(() -> maxId("{\"model\": {\"type\": \"WordPiece\"}}"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("test.json has no vocabulary (expected model.vocab)");
        assertThatThrownBy(() -> maxId("{\"model\": {\"vocab\": {\"a\": 1"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("cannot parse tokenizer test.json as JSON");
        assertThatThrownBy(() -> maxId("[1, 2]"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("test.json is not a JSON object");
    }

    @Test
    void theRustOnlySwitchSendsEveryTextToRustWithTheSameIds() throws Exception {
        ModelDescriptor minilm =
                BundledModels.resolve(Catalog.find("all-minilm-l6-v2").orElseThrow());
        List<String> texts = List.of(
                "Hello world",
                "Accents: café, naïve; CJK 中文",
                "emoji 😀 outside the BMP",
                "Antidisestablishmentarianism [SEP] pneumonoultramicroscopic xylophones over 3.14159 lazy dogs ☃ ♞.",
                "x".repeat(120)
                        + " THE END... (of \"quotes\") — 'dashes' – ellipses… #hashtags @mentions 50% off $9.99!");
        try (HfTokenizer usual = HfTokenizer.load(minilm)) {
            System.setProperty("onyx.tokenizer.rustOnly", "true");
            try (HfTokenizer rustOnly = HfTokenizer.load(minilm)) {
                assertThat(usual.servedInJava()).isTrue();
                assertThat(rustOnly.servedInJava()).isFalse();
                List<TokenizedText> a = usual.encode(texts);
                List<TokenizedText> b = rustOnly.encode(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(b.get(i).ids())
                            .as(texts.get(i))
                            .containsExactly(a.get(i).ids());
                }
            } finally {
                System.clearProperty("onyx.tokenizer.rustOnly");
            }
        }
    }
}
