package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Prompts and Matryoshka dimensions on the int8 E5, whose catalog entry carries E5's query/passage prompts. */
class PromptsAndDimensionsTest {
    private static Embedder e5;

    @BeforeAll
    static void open() throws Exception {
        e5 = Embedder.open(ModelSource.bundled("e5-small-v2-q"));
    }

    @AfterAll
    static void close() {
        e5.close();
    }

    @Test
    void aNamedPromptIsPrependedAndCountsAsTokens() {
        Embeddings prompted =
                e5.embed(List.of("how big is a whale"), EmbedRequest.defaults().withPromptName("query"));
        Embeddings byHand = e5.embed(List.of("query: how big is a whale"));

        assertThat(prompted.vector(0)).containsExactly(byHand.vector(0));
        assertThat(prompted.tokenCount(0)).isEqualTo(e5.countTokens("query: how big is a whale"));
        assertThat(prompted.tokenCount(0)).isEqualTo(e5.countTokens("how big is a whale") + 2); // "query", ":"
    }

    @Test
    void aLiteralPromptWinsOverTheNamedOneAndNoPromptMeansTextsAsGiven() {
        EmbedRequest both = EmbedRequest.defaults().withPromptName("query").withPrompt("passage: ");

        assertThat(e5.embed(List.of("x"), both).vector(0))
                .containsExactly(e5.embed(List.of("x"), EmbedRequest.defaults().withPromptName("passage"))
                        .vector(0));
        assertThat(e5.embed(List.of("x"), EmbedRequest.defaults()).vector(0)).containsExactly(e5.embed("x"));
        assertThat(e5.prompts()).containsEntry("query", "query: ").containsEntry("passage", "passage: ");
        assertThat(e5.defaultPromptName()).isEmpty();
    }

    @Test
    void anUnknownPromptNameListsTheModelsPrompts() {
        assertThatThrownBy(() -> e5.embed(List.of("x"), EmbedRequest.defaults().withPromptName("document")))
                .hasMessageContaining("'document'")
                .hasMessageContaining("[passage, query]");
    }

    @Test
    void dimensionsKeepTheFirstValuesThenRenormalize() {
        float[] full = e5.embed("Matryoshka vectors nest");
        float[] cut = e5.embed(
                        List.of("Matryoshka vectors nest"),
                        EmbedRequest.defaults().withDimensions(64))
                .vector(0);

        double norm = 0;
        for (int d = 0; d < 64; d++) norm += (double) full[d] * full[d];
        norm = Math.sqrt(norm);
        assertThat(cut).hasSize(64);
        for (int d = 0; d < 64; d++) {
            assertThat(cut[d]).as("dimension %d", d).isCloseTo((float) (full[d] / norm), within(1e-6f));
        }
    }

    @Test
    void withoutNormalizationDimensionsOnlyCut() throws Exception {
        try (Embedder raw = Embedder.open(
                ModelSource.bundled("e5-small-v2-q"), EmbedOptions.defaults().withNormalize(false))) {
            float[] full = raw.embed("unnormalized");
            float[] cut = raw.embed(
                            List.of("unnormalized"), EmbedRequest.defaults().withDimensions(10))
                    .vector(0);
            assertThat(cut).containsExactly(java.util.Arrays.copyOf(full, 10));
        }
    }

    @Test
    void dimensionsOutsideTheModelsRangeAreRefused() {
        assertThatThrownBy(() -> e5.embed(List.of("x"), EmbedRequest.defaults().withDimensions(385)))
                .hasMessageContaining("385")
                .hasMessageContaining("1..384");
        assertThatThrownBy(() -> EmbedRequest.defaults().withDimensions(0)).hasMessageContaining("at least 1");
    }

    @Test
    void quantizedOutputOfAPromptedCallKeepsItsTokenCounts() {
        Embeddings e = e5.embed(List.of("a", "b c"), EmbedRequest.defaults().withPromptName("passage"));
        QuantizedEmbeddings q = QuantizedEmbeddings.of(e, Precision.UBINARY);

        assertThat(q.bytesPerVector()).isEqualTo(48);
        assertThat(q.tokenCount(1)).isEqualTo(e.tokenCount(1));
    }
}
