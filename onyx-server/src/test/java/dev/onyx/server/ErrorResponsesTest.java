package dev.onyx.server;

import static dev.onyx.server.TestSupport.get;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refusal the issue lists, in OpenAI's or TEI's error shape, and the server still serving afterwards. */
class ErrorResponsesTest {
    private static final String MODEL = "all-minilm-l6-v2";

    private static Embedder embedder;
    private static EmbeddingServer server;

    @BeforeAll
    static void start() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
        ServerConfig config =
                ServerConfig.defaults().withPort(0).withMaxClientBatch(8).withPayloadLimitBytes(4_096);
        server = EmbeddingServer.start(config, Map.of(MODEL, embedder));
    }

    @AfterAll
    static void stop() {
        server.close();
        embedder.close();
    }

    /** Posts to /v1/embeddings and checks status and OpenAI error shape; returns the error object. */
    private static JsonNode openAiError(String body, int status) throws Exception {
        HttpResponse<String> response = post(server, "/v1/embeddings", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        return error;
    }

    private static String embeddings(Object input) throws IOException {
        return toJson(Map.of("model", MODEL, "input", input));
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        JsonNode error = openAiError("{\"model\": \"all-minilm-l6-v2\", \"input\": ", 400);

        assertThat(error.get("message").asText()).contains("not valid JSON");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void aBodyThatIsNotAnObjectIsA400() throws Exception {
        assertThat(openAiError("[1, 2]", 400).get("message").asText()).contains("must be a JSON object");
    }

    @Test
    void missingInputIsA400NamingTheField() throws Exception {
        JsonNode error = openAiError(toJson(Map.of("model", MODEL)), 400);

        assertThat(error.get("param").asText()).isEqualTo("input");
        assertThat(error.get("message").asText()).contains("input is required");
    }

    @Test
    void wrongInputTypesAreA400NamingTheField() throws Exception {
        assertThat(openAiError(embeddings(true), 400).get("message").asText())
                .contains("input must be a string, a list of strings");
        assertThat(openAiError(embeddings(List.of("fine", 3)), 400).get("param").asText())
                .isEqualTo("input[1]");
        assertThat(openAiError(embeddings(List.of(List.of(101, "x"))), 400)
                        .get("param")
                        .asText())
                .isEqualTo("input[0]");
        assertThat(openAiError(toJson(Map.of("model", 7, "input", "x")), 400)
                        .get("param")
                        .asText())
                .isEqualTo("model");
    }

    @Test
    void emptyInputListAndEmptyStringsAreA400() throws Exception {
        assertThat(openAiError(embeddings(List.of()), 400).get("message").asText())
                .isEqualTo("input must not be an empty list");
        assertThat(openAiError(embeddings(""), 400).get("param").asText()).isEqualTo("input");
        JsonNode error = openAiError(embeddings(List.of("a", "")), 400);
        assertThat(error.get("param").asText()).isEqualTo("input[1]");
        assertThat(error.get("message").asText()).contains("empty string");
    }

    @Test
    void badEncodingFormatAndDimensionsAreA400() throws Exception {
        JsonNode format = openAiError(toJson(Map.of("model", MODEL, "input", "x", "encoding_format", "int8")), 400);
        assertThat(format.get("message").asText()).contains("\"float\" or \"base64\"");
        JsonNode tooMany = openAiError(toJson(Map.of("model", MODEL, "input", "x", "dimensions", 385)), 400);
        assertThat(tooMany.get("param").asText()).isEqualTo("dimensions");
        assertThat(tooMany.get("message").asText()).contains("allowed are 1 to 384");
        assertThat(openAiError(toJson(Map.of("model", MODEL, "input", "x", "dimensions", 0)), 400)
                        .get("param")
                        .asText())
                .isEqualTo("dimensions");
    }

    @Test
    void unknownModelIsA404ListingTheServedOnes() throws Exception {
        JsonNode error = openAiError(toJson(Map.of("model", "text-embedding-3-small", "input", "x")), 404);

        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("message").asText())
                .contains("text-embedding-3-small")
                .contains(MODEL);
    }

    @Test
    void tokenIdsOutsideTheVocabularyOrTooManyAreRefused() throws Exception {
        JsonNode vocab = openAiError(embeddings(List.of(101, 999_999, 102)), 400);
        assertThat(vocab.get("message").asText()).contains("999999").contains("0 to 30521");
        JsonNode negative = openAiError(embeddings(List.of(101, -1, 102)), 400);
        assertThat(negative.get("message").asText()).contains("non-negative");
        JsonNode tooLong = openAiError(embeddings(Collections.nCopies(300, 1000)), 422);
        assertThat(tooLong.get("message").asText()).contains("300 token ids").contains("at most 256");
    }

    @Test
    void tooManyInputsInOneRequestIsA413() throws Exception {
        JsonNode error = openAiError(embeddings(Collections.nCopies(9, "text")), 413);

        assertThat(error.get("message").asText()).contains("9 items").contains("at most 8");
    }

    @Test
    void aBodyOverThePayloadLimitIsA413() throws Exception {
        JsonNode error = openAiError(embeddings("x".repeat(5_000)), 413);

        assertThat(error.get("message").asText()).contains("4096 bytes");
    }

    @Test
    void teiRefusesAnOverlongInputWhenTruncationIsOff() throws Exception {
        String body = toJson(Map.of("inputs", List.of("short", "word ".repeat(300)), "truncate", false));

        HttpResponse<String> response = post(server, "/embed", body);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = json(response);
        assertThat(error.get("error").asText()).contains("inputs[1]").contains("at most 256");
        assertThat(error.get("error_type").asText()).isEqualTo("Validation");
    }

    @Test
    void teiNamesFieldsOfTheWrongType() throws Exception {
        HttpResponse<String> response = post(server, "/embed", toJson(Map.of("inputs", "x", "normalize", "yes")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains("normalize must be true or false");
    }

    @Test
    void moreQueuedInputsThanTheLimitIsA429WithRetryAfter() throws Exception {
        // 16 inputs may be pending; each request brings 8 long ones, so 16 requests at once overrun the limit.
        ServerConfig config =
                ServerConfig.defaults().withPort(0).withMaxClientBatch(8).withMaxConcurrentInputs(16);
        String body = embeddings(Collections.nCopies(8, "liberty and union ".repeat(80)));
        List<HttpResponse<String>> responses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (EmbeddingServer small = EmbeddingServer.start(config, Map.of(MODEL, embedder))) {
            for (int round = 0; round < 5 && responses.stream().noneMatch(r -> r.statusCode() == 429); round++) {
                List<Callable<HttpResponse<String>>> calls =
                        Collections.nCopies(16, () -> post(small, "/v1/embeddings", body));
                for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) responses.add(f.get());
            }
            assertThat(post(small, "/v1/embeddings", embeddings("still serving"))
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            pool.shutdown();
        }

        assertThat(responses).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 429);
        HttpResponse<String> refused = responses.stream()
                .filter(r -> r.statusCode() == 429)
                .findFirst()
                .orElseThrow();
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(refused).get("error").get("message").asText()).contains("--max-concurrent-inputs");
    }

    @Test
    void anApiKeyGuardsEveryEndpointButHealth() throws Exception {
        try (EmbeddingServer guarded = EmbeddingServer.start(
                ServerConfig.defaults().withPort(0).withApiKey("s3cret"), Map.of(MODEL, embedder))) {
            String body = embeddings("hello");

            HttpResponse<String> missing = post(guarded, "/v1/embeddings", body);
            HttpResponse<String> wrong = post(guarded, "/v1/embeddings", body, "Authorization", "Bearer s3cre");
            HttpResponse<String> right = post(guarded, "/v1/embeddings", body, "Authorization", "Bearer s3cret");

            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(json(missing).get("error").get("message").asText()).contains("Authorization: Bearer");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(json(wrong).get("error").get("code").asText()).isEqualTo("invalid_api_key");
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(get(guarded, "/info").statusCode()).isEqualTo(401);
            assertThat(post(guarded, "/embed", "{\"inputs\":\"x\"}").statusCode())
                    .isEqualTo(401);
            assertThat(get(guarded, "/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void failedRequestsLeaveTheServerServing() throws Exception {
        openAiError("{", 400);
        openAiError(embeddings(List.of()), 400);

        HttpResponse<String> ok = post(server, "/v1/embeddings", embeddings(List.of("one", "two")));

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("data")).hasSize(2);
    }
}
