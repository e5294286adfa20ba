package dev.onyx.server;

import static dev.onyx.server.TestSupport.cosine;
import static dev.onyx.server.TestSupport.floats;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC API called by a client the project did not write: Python's grpcio (Debian's python3-grpcio, installed by
 * {@code scripts/ensure-grpc-python}) with message classes protoc generates from the committed tei.proto. Its vectors
 * must match the HTTP API's.
 */
class GrpcPythonClientTest {
    private static final String KEY = "py-key";
    private static final double MIN_COSINE = 0.99999;

    @TempDir
    Path work;

    @Test
    void pythonGrpcioGetsTheHttpApisVectors() throws Exception {
        List<String> texts = List.of("A Python client asks over gRPC.", "Vectors must match the HTTP API's.");
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel());
                EmbeddingServer server = EmbeddingServer.start(
                        ServerConfig.defaults().withPort(0).withGrpcPort(0).withApiKey(KEY),
                        Map.of("all-minilm-l6-v2", embedder))) {
            List<String> command = new ArrayList<>(List.of(
                    "/usr/bin/python3",
                    Path.of("src/test/python/tei_grpc_client.py")
                            .toAbsolutePath()
                            .toString(),
                    "127.0.0.1:" + server.grpcPort().orElseThrow(),
                    Path.of("src/main/proto").toAbsolutePath().toString(),
                    work.toString(),
                    KEY));
            command.addAll(texts);
            Process python = new ProcessBuilder(command)
                    .redirectError(work.resolve("stderr.txt").toFile())
                    .start();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue())
                    .as(
                            "python3 tei_grpc_client.py (needs python3-grpcio and protoc): %s",
                            Files.readString(work.resolve("stderr.txt")))
                    .isZero();
            JsonNode result = TestSupport.JSON.readTree(out);

            assertThat(result.path("info").path("model_id").asText()).isEqualTo("all-minilm-l6-v2");
            assertThat(result.path("info").path("model_type").asText()).isEqualTo("MODEL_TYPE_EMBEDDING");
            assertThat(result.path("info").path("max_input_length").asInt()).isEqualTo(256);
            for (int i = 0; i < texts.size(); i++) {
                float[] http = floats(json(post(
                                server,
                                "/embed",
                                toJson(Map.of("inputs", texts.get(i))),
                                "Authorization",
                                "Bearer " + KEY))
                        .get(0));
                assertThat(cosine(floats(result.path("unary").get(i)), http)).isGreaterThanOrEqualTo(MIN_COSINE);
                assertThat(cosine(floats(result.path("stream").get(i)), http)).isGreaterThanOrEqualTo(MIN_COSINE);
            }
            List<Long> ids = new ArrayList<>();
            result.path("token_ids").forEach(id -> ids.add(id.asLong()));
            assertThat(ids).containsExactly(box(embedder.tokenIds(texts.get(0))));
            assertThat(result.path("empty_error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
            assertThat(result.path("empty_error").path("details").asText()).contains("inputs");
            assertThat(result.path("no_key_error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
        }
    }

    private static Long[] box(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }
}
