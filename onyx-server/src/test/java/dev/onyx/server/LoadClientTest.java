package dev.onyx.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load generator against a real server: answers checked, errors counted and named, connections recovered. */
class LoadClientTest {
    private static Embedder embedder;
    private static EmbeddingServer server;

    @BeforeAll
    static void start() throws Exception {
        embedder = Embedder.open(ModelSource.defaultModel());
        server = EmbeddingServer.start(ServerConfig.defaults().withPort(0), Map.of("all-minilm-l6-v2", embedder));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (embedder != null) embedder.close();
    }

    private static List<String> texts(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "sentence number " + i + " with \"quotes\" and ünïcode")
                .toList();
    }

    private static LoadClient client(String path) {
        return new LoadClient("127.0.0.1", server.port(), path);
    }

    @Test
    void everyRequestIsAnsweredWithItsEmbeddingsAndTimed() throws Exception {
        List<LoadClient.Request> requests = LoadClient.embeddings(Optional.of("all-minilm-l6-v2"), texts(23), 4);

        LoadClient.Outcome o = client("/v1/embeddings").run(requests, 3);

        assertThat(requests).hasSize(6);
        assertThat(requests.get(5).inputs()).isEqualTo(3);
        assertThat(o.errors()).as(o.firstError().orElse("")).isZero();
        assertThat(o.firstError()).isEmpty();
        assertThat(o.requests()).isEqualTo(6);
        assertThat(o.latencyNanos()).hasSize(6);
        assertThat(java.util.Arrays.stream(o.latencyNanos()).min().orElseThrow())
                .isPositive();
        assertThat(o.seconds()).isPositive();
        assertThat(o.percentileMillis(99)).isGreaterThanOrEqualTo(o.percentileMillis(50));
    }

    @Test
    void requestBodiesAreOpenAiRequests() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode one = json.readTree(
                LoadClient.embeddings(Optional.empty(), List.of("a \"b\"\n")).body());
        JsonNode two = json.readTree(
                LoadClient.embeddings(Optional.of("m"), List.of("x", "y")).body());

        assertThat(one.has("model")).isFalse();
        assertThat(one.path("input").textValue()).isEqualTo("a \"b\"\n");
        assertThat(two.path("model").textValue()).isEqualTo("m");
        assertThat(two.path("input")).hasSize(2);
        assertThatThrownBy(() -> LoadClient.embeddings(Optional.empty(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one text");
    }

    @Test
    void anErrorAnswerIsCountedAndNamedAndTheOthersStillPass() throws Exception {
        List<LoadClient.Request> requests = new ArrayList<>(LoadClient.embeddings(Optional.empty(), texts(6), 1));
        requests.add(2, new LoadClient.Request("{\"input\":\"\"}".getBytes(StandardCharsets.UTF_8), 1));

        LoadClient.Outcome o = client("/v1/embeddings").run(requests, 1);

        assertThat(o.errors()).isEqualTo(1);
        assertThat(o.firstError())
                .hasValueSatisfying(
                        e -> assertThat(e).startsWith("request 2: HTTP/1.1 400").contains("empty string"));
    }

    @Test
    void anAnswerWithTooFewEmbeddingsIsAnError() throws Exception {
        byte[] oneText = LoadClient.embeddings(Optional.empty(), List.of("one")).body();

        LoadClient.Outcome o = client("/v1/embeddings").run(List.of(new LoadClient.Request(oneText, 2)), 1);

        assertThat(o.errors()).isEqualTo(1);
        assertThat(o.firstError()).hasValue("request 0: 200 with 1 embeddings for 2 inputs");
    }

    @Test
    void aWrongPathIsAnErrorForEveryRequest() throws Exception {
        LoadClient.Outcome o = client("/v1/nothing-here").run(LoadClient.embeddings(Optional.empty(), texts(3), 1), 2);

        assertThat(o.errors()).isEqualTo(3);
        assertThat(o.firstError()).hasValueSatisfying(e -> assertThat(e).contains("404"));
    }

    @Test
    void noServerMeansErrorsNotAnException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }

        LoadClient.Outcome o = new LoadClient("127.0.0.1", port, "/v1/embeddings")
                .run(LoadClient.embeddings(Optional.empty(), texts(2), 1), 2);

        assertThat(o.errors()).isEqualTo(2);
        assertThat(o.firstError()).hasValueSatisfying(e -> assertThat(e).contains("Connect"));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new LoadClient("127.0.0.1", 0, "/v1/embeddings"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> new LoadClient("127.0.0.1", 80, "v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path");
        assertThatThrownBy(() -> client("/v1/embeddings").run(List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clients");
        assertThatThrownBy(() -> new LoadClient.Request(new byte[1], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs");
    }

    @Test
    void countFindsEveryNonOverlappingOccurrence() {
        byte[] needle = "ab".getBytes(StandardCharsets.US_ASCII);
        byte[] hay = "xxabababx ab".getBytes(StandardCharsets.US_ASCII);

        assertThat(LoadClient.count(hay, hay.length, needle)).isEqualTo(4);
        assertThat(LoadClient.count(hay, 5, needle)).isEqualTo(1);
    }
}
