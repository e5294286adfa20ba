package dev.onyx.server;

import static dev.onyx.server.TestSupport.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams.EncodingFormat;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a real server on 127.0.0.1. */
class OpenAiCompatibilityTest {
    /** Same model, same ONNX Runtime: only batching order and float rounding differ. */
    private static final double SAME_MODEL_COSINE = 0.99999;

    private static Embedder embedder;
    private static EmbeddingServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
        Map<String, Embedder> models = new LinkedHashMap<>();
        models.put("all-minilm-l6-v2", embedder);
        models.put("sentence-transformers/all-MiniLM-L6-v2", embedder);
        server = EmbeddingServer.start(ServerConfig.defaults().withPort(0), models);
        client = OpenAIOkHttpClient.builder()
                .apiKey("not-checked")
                .baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        embedder.close();
    }

    private static CreateEmbeddingResponse create(List<String> texts, EncodingFormat format, String model) {
        return client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model(model)
                        .inputOfArrayOfStrings(texts)
                        .encodingFormat(format)
                        .build());
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    @Test
    void floatEmbeddingsEqualTheReferenceAndTheLibrary() throws IOException {
        List<String> sentences = TestSupport.referenceSentences();
        float[][] reference = TestSupport.referenceVectors();
        Embeddings library = embedder.embed(sentences);

        CreateEmbeddingResponse response = create(sentences, EncodingFormat.FLOAT, "all-minilm-l6-v2");

        assertThat(response.data()).hasSize(sentences.size());
        assertThat(response.model()).isEqualTo("all-minilm-l6-v2");
        long tokens = 0;
        for (int i = 0; i < sentences.size(); i++) {
            assertThat(response.data().get(i).index()).isEqualTo(i);
            float[] vector = toArray(response.data().get(i).embedding());
            assertThat(cosine(vector, reference[i]))
                    .as("row %d vs reference", i)
                    .isGreaterThanOrEqualTo(0.9999);
            assertThat(cosine(vector, library.vector(i)))
                    .as("row %d vs Embedder", i)
                    .isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
            tokens += library.tokenCount(i);
        }
        assertThat(response.usage().promptTokens()).isEqualTo(tokens);
        assertThat(response.usage().totalTokens()).isEqualTo(tokens);
    }

    @Test
    void base64EmbeddingsDecodeToTheLibraryVectors() throws IOException {
        List<String> sentences = TestSupport.referenceSentences().subList(0, 20);
        Embeddings library = embedder.embed(sentences);

        CreateEmbeddingResponse response =
                create(sentences, EncodingFormat.BASE64, "sentence-transformers/all-MiniLM-L6-v2");

        assertThat(response.model()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2"); // the alias asked for
        for (int i = 0; i < sentences.size(); i++) {
            String base64 = response.data().get(i).embeddingValue().asBase64();
            float[] decoded = TestSupport.littleEndianFloats(Base64.getDecoder().decode(base64));
            assertThat(decoded).hasSize(TestSupport.DIM);
            assertThat(cosine(decoded, library.vector(i))).isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
        }
    }

    @Test
    void dimensionsCutAndRenormalizeLikeMatryoshka() {
        String text = "The President shall from time to time give to the Congress information.";
        float[] full = embedder.embed(text);

        CreateEmbeddingResponse response = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("all-minilm-l6-v2")
                        .input(text)
                        .dimensions(64)
                        .build());

        float[] cut = toArray(response.data().get(0).embedding());
        assertThat(cut).hasSize(64);
        assertThat(TestSupport.norm(cut)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(cosine(cut, java.util.Arrays.copyOf(full, 64))).isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
    }

    @Test
    void tokenIdInputsEmbedLikeTheirText() {
        String text = "Fellow-Citizens of the Senate and House of Representatives.";
        List<Long> ids = new ArrayList<>();
        for (long id : embedder.tokenIds(text)) ids.add(id);

        CreateEmbeddingResponse single = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("all-minilm-l6-v2")
                        .inputOfArrayOfTokens(ids)
                        .build());
        CreateEmbeddingResponse nested = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("all-minilm-l6-v2")
                        .inputOfArrayOfTokenArrays(List.of(ids, ids))
                        .build());

        float[] expected = embedder.embed(text);
        assertThat(single.data()).hasSize(1);
        assertThat(single.usage().promptTokens()).isEqualTo(ids.size());
        assertThat(cosine(toArray(single.data().get(0).embedding()), expected))
                .isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
        assertThat(nested.data()).hasSize(2);
        assertThat(cosine(toArray(nested.data().get(1).embedding()), expected))
                .isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
    }

    @Test
    void modelsListsEveryServedName() {
        List<String> ids =
                client.models().list().data().stream().map(m -> m.id()).toList();

        assertThat(ids).containsExactly("all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2");
    }
}
