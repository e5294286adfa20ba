package dev.onyx.server;

import static dev.onyx.server.TestSupport.HTTP;
import static dev.onyx.server.TestSupport.get;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static dev.onyx.server.TestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.models.Model;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every answer under /v1 has OpenAI's error shape; models are retrievable by id; the requested alias is echoed. */
class OpenAiShapeTest {
    private static final String ALIAS = "sentence-transformers/all-MiniLM-L6-v2";

    private static Embedder embedder;
    private static EmbeddingServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
        Map<String, Embedder> models = new LinkedHashMap<>();
        models.put("all-minilm-l6-v2", embedder);
        models.put(ALIAS, embedder);
        server = EmbeddingServer.start(ServerConfig.defaults().withPort(0), models);
        client = OpenAIOkHttpClient.builder()
                .apiKey("not-checked")
                .baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        embedder.close();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(server, path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Checks the OpenAI error object and returns it. */
    private static JsonNode openAiError(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = json(response).get("error");
        assertThat(error).as(response.body()).isNotNull();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        return error;
    }

    @Test
    void anUnknownRouteUnderV1IsAnOpenAiShaped404() throws Exception {
        JsonNode get = openAiError(get(server, "/v1/completions"), 404);
        JsonNode postError = openAiError(post(server, "/v1/chat/completions", "{}"), 404);

        assertThat(get.get("message").asText()).contains("GET /v1/completions").contains("POST /v1/embeddings");
        assertThat(postError.get("message").asText()).contains("POST /v1/chat/completions");
        assertThat(openAiError(get(server, "/v1"), 404).get("code").isNull()).isTrue();
    }

    @Test
    void aWrongMethodIsA405WithAllow() throws Exception {
        for (String method : new String[] {"PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> response = send(method, "/v1/embeddings");

            JsonNode error = openAiError(response, 405);
            assertThat(error.get("code").asText()).isEqualTo("method_not_allowed");
            assertThat(error.get("message").asText()).contains(method).contains("allowed: POST");
            assertThat(response.headers().firstValue("Allow")).contains("POST");
        }
        HttpResponse<String> getEmbeddings = get(server, "/v1/embeddings");
        openAiError(getEmbeddings, 405);
        assertThat(getEmbeddings.headers().firstValue("Allow")).contains("POST");
        HttpResponse<String> postModels = post(server, "/v1/models", "{}");
        openAiError(postModels, 405);
        assertThat(postModels.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void aModelIsRetrievableByEveryNameAndAnUnknownOneIsA404() throws Exception {
        JsonNode model = json(get(server, "/v1/models/all-minilm-l6-v2"));
        assertThat(model.get("id").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(model.get("object").asText()).isEqualTo("model");
        assertThat(json(get(server, "/v1/models/" + ALIAS)).get("id").asText()).isEqualTo(ALIAS);

        JsonNode error = openAiError(get(server, "/v1/models/text-embedding-3-small"), 404);
        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText())
                .contains("text-embedding-3-small")
                .contains("all-minilm-l6-v2");
    }

    @Test
    void theOpenAiSdkRetrievesModelsAndGetsItsTypedNotFound() {
        Model model = client.models().retrieve("all-minilm-l6-v2");
        Model alias = client.models().retrieve(ALIAS);

        assertThat(model.id()).isEqualTo("all-minilm-l6-v2");
        assertThat(model.ownedBy()).isEqualTo("onyx");
        assertThat(alias.id()).isEqualTo(ALIAS);
        NotFoundException missing = catchThrowableOfType(
                NotFoundException.class, () -> client.models().retrieve("gpt-4o"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.getMessage()).contains("gpt-4o");
        assertThat(missing.body().toString()).contains("model_not_found");
    }

    @Test
    void theResponseNamesTheAliasTheClientAskedFor() throws Exception {
        JsonNode byAlias = json(post(server, "/v1/embeddings", toJson(Map.of("model", ALIAS, "input", "hi"))));
        JsonNode byName =
                json(post(server, "/v1/embeddings", toJson(Map.of("model", "all-minilm-l6-v2", "input", "hi"))));
        JsonNode byDefault = json(post(server, "/v1/embeddings", toJson(Map.of("input", "hi"))));
        JsonNode teiOpenAiRoute = json(post(server, "/embeddings", toJson(Map.of("model", ALIAS, "input", "hi"))));

        assertThat(byAlias.get("model").asText()).isEqualTo(ALIAS);
        assertThat(byName.get("model").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(byDefault.get("model").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(teiOpenAiRoute.get("model").asText()).isEqualTo(ALIAS);
        assertThat(teiOpenAiRoute.get("data").get(0).get("embedding")).hasSize(TestSupport.DIM);
    }

    @Test
    void routesOutsideV1KeepTeiErrorsAndTheRealRoutesStillAnswer() throws Exception {
        HttpResponse<String> unknown = get(server, "/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error_type").asText()).isEqualTo("Validation");
        HttpResponse<String> wrongMethod = send("PUT", "/embed");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
        assertThat(get(server, "/info").statusCode()).isEqualTo(200);
        assertThat(get(server, "/v1/models").statusCode()).isEqualTo(200);
        assertThat(get(server, "/metrics").body()).contains("onyx_http_requests_total");
    }
}
