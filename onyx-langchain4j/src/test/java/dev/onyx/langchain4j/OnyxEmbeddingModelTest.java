package dev.onyx.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Similarity;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnyxEmbeddingModelTest {
    private static final double SAME = 0.99999;
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
        model = OnyxEmbeddingModel.builder().build();
        reference = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        model.close();
        reference.close();
    }

    @Test
    void embedAllMatchesTheEmbedderInInputOrderWithRealTokenUsage() {
        List<String> texts = sentences.subList(0, 60);
        Response<List<Embedding>> response =
                model.embedAll(texts.stream().map(TextSegment::from).toList());
        Embeddings expected = reference.embed(texts);

        assertThat(response.content()).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Similarity.cosine(response.content().get(i).vector(), expected.vector(i)))
                    .as("segment %d", i)
                    .isGreaterThanOrEqualTo(SAME);
        }
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo((int) expected.totalTokens());
    }

    @Test
    void dimensionAndModelNameNeedNoInference() {
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(model.modelName()).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void ingestorAndStoreFindTheSentenceAQueryWasCutFrom() {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        EmbeddingStoreIngestor.builder()
                .embeddingModel(model)
                .embeddingStore(store)
                .build()
                .ingest(sentences.stream().map(Document::from).toList());

        int found = 0;
        int queries = 0;
        for (int i = 0; i < sentences.size(); i += 10) {
            String[] words = sentences.get(i).split(" ");
            String query = String.join(" ", Arrays.copyOf(words, Math.max(4, words.length * 2 / 3)));
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                            .queryEmbedding(model.queries().embed(query).content())
                            .maxResults(1)
                            .build())
                    .matches();
            queries++;
            if (matches.get(0).embedded().text().equals(sentences.get(i))) {
                found++;
            }
        }
        // A query made of the first two thirds of a sentence finds that sentence first among 300.
        assertThat(found).as("queries answered by their own sentence").isGreaterThanOrEqualTo(queries * 9 / 10);
    }

    @Test
    void queriesAndDocumentsGetTheModelsOwnPrompts() throws IOException {
        try (OnyxEmbeddingModel e5 =
                        OnyxEmbeddingModel.builder().model("e5-small-v2").build();
                Embedder direct = Embedder.open(ModelSource.parse("e5-small-v2"))) {
            String text = "how do tariffs affect farmers";
            float[] asQuery = e5.queries().embed(text).content().vector();
            float[] asDocument = e5.embed(text).content().vector();
            EmbeddingResponse viaRequest = e5.embed(EmbeddingRequest.builder()
                    .inputs(List.of(EmbeddingInput.from(text)))
                    .parameters(EmbeddingRequestParameters.builder()
                            .inputType(EmbeddingInputType.QUERY)
                            .build())
                    .build());

            float[] expectedQuery = direct.embed(
                            List.of(text), EmbedRequest.defaults().withPromptName("query"))
                    .vector(0);
            float[] expectedPassage = direct.embed(
                            List.of(text), EmbedRequest.defaults().withPromptName("passage"))
                    .vector(0);
            assertThat(Similarity.cosine(asQuery, expectedQuery)).isGreaterThanOrEqualTo(SAME);
            assertThat(Similarity.cosine(viaRequest.embeddings().get(0).vector(), expectedQuery))
                    .isGreaterThanOrEqualTo(SAME);
            assertThat(Similarity.cosine(asDocument, expectedPassage)).isGreaterThanOrEqualTo(SAME);
            assertThat(Similarity.cosine(asQuery, asDocument)).isLessThan(0.999);
        }
    }

    @Test
    void dimensionsKeepTheLeadingValuesAtUnitLength() {
        try (OnyxEmbeddingModel small =
                OnyxEmbeddingModel.builder().embedder(reference).dimensions(128).build()) {
            float[] v = small.embed("The Constitution").content().vector();
            float[] full = reference.embed("The Constitution");
            assertThat(small.dimension()).isEqualTo(128);
            assertThat(v).hasSize(128);
            assertThat(Similarity.cosine(v, Arrays.copyOf(full, 128))).isGreaterThanOrEqualTo(SAME);
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
        // the wrapped embedder stays open
        assertThat(reference.embed("still open")).hasSize(384);
    }

    @Test
    void badConfigurationIsRefusedNamingTheProblem() {
        assertThatThrownBy(() ->
                        OnyxEmbeddingModel.builder().model("no-such-model").build())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> OnyxEmbeddingModel.builder().device("tpu"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("tpu")
                .hasMessageContaining("cuda");
        assertThatThrownBy(() -> OnyxEmbeddingModel.builder().maxBatchSize(-1))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("maxBatchSize");
        assertThatThrownBy(() -> OnyxEmbeddingModel.builder()
                        .embedder(reference)
                        .queryPromptName("query")
                        .build())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("prompt 'query'");
        assertThatThrownBy(() -> OnyxEmbeddingModel.builder()
                        .embedder(reference)
                        .dimensions(1000)
                        .build())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("1000");
        assertThatThrownBy(() -> model.embed(EmbeddingRequest.builder()
                        .inputs(List.of(EmbeddingInput.from("x")))
                        .parameters(EmbeddingRequestParameters.builder()
                                .modelName("text-embedding-3-small")
                                .build())
                        .build()))
                .hasMessageContaining("text-embedding-3-small");
    }

    @Test
    void closingAnOwnedModelClosesItsEmbedder() {
        OnyxEmbeddingModel owned = OnyxEmbeddingModel.builder().build();
        owned.close();
        owned.close();
        assertThatThrownBy(() -> owned.embed("after close"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("closed");
    }
}
