package dev.onyx.server;

import static dev.onyx.server.TestSupport.get;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 14.4's protocol defects: a body shorter than its Content-Length, the Bearer scheme's case; /health's 503. */
class HttpDefectsTest {
    private static final String MODEL = "all-minilm-l6-v2";

    private static Embedder embedder;

    @BeforeAll
    static void open() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    /** Sends raw bytes and reads the whole answer (the server closes the connection after it). */
    private static String raw(EmbeddingServer server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) answer.write(buffer, 0, n);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsA408WithoutAStackTrace() throws Exception {
        ServerConfig config = ServerConfig.defaults().withPort(0).withBodyReadTimeoutMillis(500);
        String body = "{\"input\": \"hello\"}";
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String answer;
        try (EmbeddingServer server = EmbeddingServer.start(config, Map.of(MODEL, embedder))) {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                answer = raw(
                        server,
                        "POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + (body.length() + 40) + "\r\n\r\n" + body);
            } finally {
                System.setErr(stderr);
            }
            // the server goes on serving
            assertThat(post(server, "/v1/embeddings", body).statusCode()).isEqualTo(200);
        }

        assertThat(answer).startsWith("HTTP/1.1 408");
        String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        JsonNode error = TestSupport.JSON.readTree(json).get("error");
        assertThat(error.get("code").asText()).isEqualTo("request_timeout");
        assertThat(error.get("message").asText())
                .contains("nothing came for 500 ms")
                .contains("58 bytes of its Content-Length");
        assertThat(log.toString(StandardCharsets.UTF_8))
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        ServerConfig config = ServerConfig.defaults().withPort(0).withApiKey("s3cret");
        String body = "{\"input\": \"hello\"}";
        try (EmbeddingServer server = EmbeddingServer.start(config, Map.of(MODEL, embedder))) {
            for (String scheme : new String[] {"Bearer", "bearer", "BEARER", "bEaReR"}) {
                HttpResponse<String> response =
                        post(server, "/v1/embeddings", body, "Authorization", scheme + " s3cret");
                assertThat(response.statusCode()).as(scheme).isEqualTo(200);
            }
            HttpResponse<String> basic = post(server, "/v1/embeddings", body, "Authorization", "Basic s3cret");
            HttpResponse<String> wrongKey = post(server, "/v1/embeddings", body, "Authorization", "bearer s3cre");
            assertThat(basic.statusCode()).isEqualTo(401);
            assertThat(json(basic).get("error").get("message").asText()).contains("missing API key");
            assertThat(wrongKey.statusCode()).isEqualTo(401);
            assertThat(json(wrongKey).get("error").get("message").asText()).isEqualTo("invalid API key");
        }
    }

    @Test
    void healthIsA503WhenTheModelCannotEmbed() throws Exception {
        Embedder doomed = Embedder.open(ModelSource.defaultModel());
        try (EmbeddingServer server =
                EmbeddingServer.start(ServerConfig.defaults().withPort(0), Map.of("doomed", doomed))) {
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);

            doomed.close(); // its owner closed it under the server: the probe embedding now fails
            HttpResponse<String> health = get(server, "/health");
            HttpResponse<String> ping = get(server, "/ping");

            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode body = json(health);
            assertThat(body.get("status").asText()).isEqualTo("unhealthy");
            assertThat(body.get("models").get("doomed").get("healthy").asBoolean())
                    .isFalse();
            assertThat(body.get("models").get("doomed").get("detail").asText()).contains("closed");
            assertThat(ping.statusCode()).isEqualTo(503);
        } finally {
            doomed.close();
        }
    }
}
