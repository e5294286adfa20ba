package dev.onyx.server;

import static dev.onyx.server.TestSupport.cosine;
import static dev.onyx.server.TestSupport.floats;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Precision;
import dev.onyx.embed.QuantizedEmbeddings;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prompt_name} on /embed and /v1/embeddings, and {@code precision} on /embed, against a model folder that
 * declares prompts (built in a temporary directory from the bundled model's real files).
 */
class PromptsAndPrecisionTest {
    private static final String TEXT = "How do tariffs affect the public revenue?";

    @TempDir
    static Path dir;

    private static Embedder embedder;
    private static EmbeddingServer server;

    @BeforeAll
    static void start() throws Exception {
        for (String[] f : new String[][] {
            {"all-minilm-l6-v2.onnx", "onnx/model.onnx"}, {"all-minilm-l6-v2-tokenizer.json", "tokenizer.json"}
        }) {
            Files.createDirectories(dir.resolve(f[1]).getParent());
            try (InputStream in = PromptsAndPrecisionTest.class.getClassLoader().getResourceAsStream(f[0])) {
                Files.copy(in, dir.resolve(f[1]));
            }
        }
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256}");
        Files.writeString(
                dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"default_prompt_name\": null}");
        embedder = Embedder.open(ModelSource.folder(dir));
        server = EmbeddingServer.start(ServerConfig.defaults().withPort(0), Map.of("prompted", embedder));
    }

    @AfterAll
    static void stop() {
        server.close();
        embedder.close();
    }

    @Test
    void teiPromptNamePrefixesThePromptAsTheLibraryDoes() throws Exception {
        JsonNode body = json(post(server, "/embed", toJson(Map.of("inputs", List.of(TEXT), "prompt_name", "query"))));
        float[] expected = embedder.embed(List.of(TEXT), EmbedRequest.defaults().withPromptName("query"))
                .vector(0);
        assertThat(cosine(floats(body.get(0)), expected)).isGreaterThan(0.99999);
        assertThat(cosine(floats(body.get(0)), embedder.embed(TEXT))).isLessThan(0.999);
    }

    @Test
    void openAiPromptNameExtensionCountsThePromptTokens() throws Exception {
        JsonNode body = json(post(
                server,
                "/v1/embeddings",
                toJson(Map.of("model", "prompted", "input", TEXT, "prompt_name", "passage"))));
        float[] expected = embedder.embed("passage: " + TEXT);
        assertThat(cosine(floats(body.get("data").get(0).get("embedding")), expected))
                .isGreaterThan(0.99999);
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(embedder.countTokens("passage: " + TEXT));
    }

    @Test
    void unknownPromptNameIsA400ListingTheModelsPrompts() throws Exception {
        HttpResponse<String> response =
                post(server, "/embed", toJson(Map.of("inputs", List.of(TEXT), "prompt_name", "title")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .contains("no prompt named 'title'")
                .contains("query")
                .contains("passage");
    }

    @Test
    void embedReturnsTheRequestedPrecision() throws Exception {
        List<String> texts = List.of(TEXT, "The harbor defenses need attention.", "Agriculture thrives.");
        Embeddings local = embedder.embed(texts);
        for (Precision precision : List.of(Precision.UBINARY, Precision.INT8)) {
            JsonNode body = json(post(
                    server,
                    "/embed",
                    toJson(Map.of("inputs", texts, "precision", precision.name().toLowerCase()))));
            QuantizedEmbeddings expected = QuantizedEmbeddings.of(local, precision);
            for (int i = 0; i < texts.size(); i++) {
                int[] expectedValues = expected.values(i);
                assertThat(body.get(i)).hasSize(expectedValues.length);
                int differing = 0;
                for (int d = 0; d < expectedValues.length; d++) {
                    if (body.get(i).get(d).asInt() != expectedValues[d]) differing++;
                }
                // server and library vectors agree to ~1e-7; a value on a step or sign boundary may land one step over
                assertThat(differing).as("%s row %d", precision, i).isLessThanOrEqualTo(2);
            }
        }
        assertThat(json(post(server, "/embed", toJson(Map.of("inputs", texts, "precision", "ubinary"))))
                        .get(0))
                .hasSize(384 / 8);
    }

    @Test
    void unknownPrecisionIsA400NamingTheField() throws Exception {
        HttpResponse<String> response =
                post(server, "/embed", toJson(Map.of("inputs", List.of(TEXT), "precision", "int4")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("precision").contains("int4");
    }
}
