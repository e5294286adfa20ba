package dev.onyx.server;

import static dev.onyx.server.TestSupport.HTTP;
import static dev.onyx.server.TestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CORS over real HTTP: preflights and actual requests, with origins listed, any origin, and none configured. */
class CorsTest {
    private static final String MODEL = "all-minilm-l6-v2";
    private static final String APP = "https://app.example.com";
    private static final String BODY = "{\"input\": \"hello\"}";

    private static Embedder embedder;

    @BeforeAll
    static void open() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static EmbeddingServer start(ServerConfig config) {
        return EmbeddingServer.start(config.withPort(0), Map.of(MODEL, embedder));
    }

    private static HttpResponse<String> preflight(EmbeddingServer server, String path, String origin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(server, path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, x-stainless-os")
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postFrom(EmbeddingServer server, String origin, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, "/v1/embeddings"))
                .header("Content-Type", "application/json")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aListedOriginGetsItsPreflightAndItsAnswersAreReadable() throws Exception {
        try (EmbeddingServer server =
                start(ServerConfig.defaults().withApiKey("k").withCorsAllowOrigins(List.of(APP)))) {
            HttpResponse<String> pre = preflight(server, "/v1/embeddings", APP);
            HttpResponse<String> post = postFrom(server, APP, "Authorization", "Bearer k");
            HttpResponse<String> refused = postFrom(server, APP); // no key: the 401 is readable by the page too
            HttpResponse<String> otherPre = preflight(server, "/v1/embeddings", "https://evil.example.com");
            HttpResponse<String> otherPost = postFrom(server, "https://evil.example.com", "Authorization", "Bearer k");

            assertThat(pre.statusCode()).isEqualTo(204); // no API key needed: browsers send none on a preflight
            assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
            assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
            assertThat(pre.headers().firstValue("Access-Control-Allow-Headers"))
                    .contains("authorization, content-type, x-stainless-os");
            assertThat(pre.headers().firstValue("Access-Control-Max-Age")).contains("600");
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
            assertThat(post.headers().allValues("Vary"))
                    .anySatisfy(v -> assertThat(v).contains("Origin"));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                    .contains(APP);
            assertThat(otherPre.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
            assertThat(otherPre.headers().firstValue("Access-Control-Allow-Methods"))
                    .isEmpty();
            assertThat(otherPost.statusCode()).isEqualTo(200);
            assertThat(otherPost.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        }
    }

    @Test
    void aStarAllowsAnyOriginOnEveryRoute() throws Exception {
        try (EmbeddingServer server = start(ServerConfig.defaults().withCorsAllowOrigins(List.of("*")))) {
            HttpResponse<String> pre = preflight(server, "/embed", "http://localhost:3000");
            HttpResponse<String> post = postFrom(server, "http://localhost:3000");
            HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(uri(server, "/health"))
                            .header("Origin", "null")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
            assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(health.headers().firstValue("Access-Control-Allow-Origin"))
                    .contains("*");
        }
    }

    @Test
    void withoutConfigurationThereAreNoCorsHeaders() throws Exception {
        try (EmbeddingServer server = start(ServerConfig.defaults())) {
            HttpResponse<String> pre = preflight(server, "/v1/embeddings", APP);
            HttpResponse<String> post = postFrom(server, APP);

            assertThat(pre.statusCode()).isEqualTo(405); // OPTIONS is no route of its own
            assertThat(pre.headers().map().keySet())
                    .noneMatch(h -> h.toLowerCase().startsWith("access-control"));
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.headers().map().keySet())
                    .noneMatch(h -> h.toLowerCase().startsWith("access-control"));
        }
    }

    @Test
    void anOriginWithAPathIsRefusedAtConfiguration() {
        assertThatThrownBy(() -> ServerConfig.defaults().withCorsAllowOrigins(List.of("https://app.example.com/x")))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("scheme://host[:port]")
                .hasMessageContaining("https://app.example.com/x");
    }
}
