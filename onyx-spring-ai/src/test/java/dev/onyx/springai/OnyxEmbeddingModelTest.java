package dev.onyx.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Similarity;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;

class OnyxEmbeddingModelTest {
    private static final double SAME = 0.99999;
    private static final AtomicLong observedTokens = new AtomicLong();
    private static List<String> sentences;
    private static OnyxEmbeddingModel model;
    private static Embedder reference;

    @BeforeAll
    static void open() throws IOException {
        try (InputStream in = OnyxEmbeddingModelTest.class.getResourceAsStream("/sotu-300.txt")) {
            sentences = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        }
        model = OnyxEmbeddingModel.builder()
                .observer((texts, tokens, nanos) -> observedTokens.addAndGet(tokens))
                .build();
        reference = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        model.close();
        reference.close();
    }

    @Test
    void callMatchesTheEmbedderInOrderWithUsageAndModelName() {
        List<String> texts = sentences.subList(0, 40);
        long before = observedTokens.get();
        EmbeddingResponse response = model.call(new EmbeddingRequest(texts, null));
        Embeddings expected = reference.embed(texts);

        assertThat(response.getResults()).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(response.getResults().get(i).getIndex()).isEqualTo(i);
            assertThat(Similarity.cosine(response.getResults().get(i).getOutput(), expected.vector(i)))
                    .isGreaterThanOrEqualTo(SAME);
        }
        assertThat(response.getMetadata().getModel()).isEqualTo("all-minilm-l6-v2");
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo((int) expected.totalTokens());
        assertThat(observedTokens.get() - before).isEqualTo(expected.totalTokens());
        assertThat(model.dimensions()).isEqualTo(384);
    }

    @Test
    void documentsGoThroughTheBatchingStrategyInOrder() {
        List<Document> docs =
                sentences.subList(0, 50).stream().map(Document::new).toList();
        List<float[]> vectors = model.embed(docs, null, new TokenCountBatchingStrategy());
        Embeddings expected = reference.embed(sentences.subList(0, 50));
        assertThat(vectors).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(Similarity.cosine(vectors.get(i), expected.vector(i))).isGreaterThanOrEqualTo(SAME);
        }
    }

    @Test
    void e5DocumentsGetThePassagePromptAndQueriesTheQueryPrompt() throws IOException {
        try (OnyxEmbeddingModel e5 =
                        OnyxEmbeddingModel.builder().model("e5-small-v2").build();
                Embedder direct = Embedder.open(ModelSource.parse("e5-small-v2"))) {
            String text = "the national debt";
            float[] query = e5.embed(text);
            float[] document = e5.embed(new Document(text));
            float[] passageNamed = e5.call(new EmbeddingRequest(List.of(text), OnyxEmbeddingOptions.prompt("passage")))
                    .getResult()
                    .getOutput();
            assertThat(Similarity.cosine(
                            query,
                            direct.embed(List.of(text), EmbedRequest.defaults().withPromptName("query"))
                                    .vector(0)))
                    .isGreaterThanOrEqualTo(SAME);
            float[] passage = direct.embed(
                            List.of(text), EmbedRequest.defaults().withPromptName("passage"))
                    .vector(0);
            assertThat(Similarity.cosine(document, passage)).isGreaterThanOrEqualTo(SAME);
            assertThat(Similarity.cosine(passageNamed, passage)).isGreaterThanOrEqualTo(SAME);
        }
    }

    @Test
    void requestOptionsAreCheckedAndApplied() {
        float[] v = model.call(new EmbeddingRequest(List.of("Union"), new OnyxEmbeddingOptions(null, 64, null)))
                .getResult()
                .getOutput();
        assertThat(v).hasSize(64);
        assertThatThrownBy(() ->
                        model.call(new EmbeddingRequest(List.of("x"), new OnyxEmbeddingOptions("gpt", null, null))))
                .hasMessageContaining("'gpt'");
        assertThatThrownBy(() -> model.call(new EmbeddingRequest(List.of("x"), OnyxEmbeddingOptions.prompt("query"))))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("query");
        assertThatThrownBy(
                        () -> OnyxEmbeddingModel.builder().model("nope-model").build())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("nope-model");
        assertThat(model.call(new EmbeddingRequest(List.of(), null)).getResults())
                .isEmpty();
    }
}
