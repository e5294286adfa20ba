package dev.onyx.server;

import static dev.onyx.server.TestSupport.get;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Closing finishes the requests in flight, then stops listening; the embedders stay with their owner. */
class ShutdownTest {

    @Test
    void closeLetsInFlightRequestsFinishThenStopsListening() throws Exception {
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel())) {
            EmbeddingServer server =
                    EmbeddingServer.start(ServerConfig.defaults().withPort(0), Map.of("all-minilm-l6-v2", embedder));
            String big = toJson(Map.of(
                    "model", "all-minilm-l6-v2", "input", Collections.nCopies(64, "a union of states ".repeat(15))));
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(server, "/v1/embeddings", big);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            boolean sawItInFlight = awaitAnotherRequestInFlight(server, inFlight);

            server.close();

            HttpResponse<String> response = inFlight.get();
            assertThat(sawItInFlight)
                    .as("the request was still running when close() began")
                    .isTrue();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("data").size()).isEqualTo(64);
            assertThatThrownBy(() -> get(server, "/health")).isInstanceOf(IOException.class);
            assertThat(embedder.embed("the embedder is still open")).hasSize(384);
            server.close(); // idempotent
        }
    }

    /** Polls /metrics until a request besides the scrape itself is being handled; false if it finished first. */
    private static boolean awaitAnotherRequestInFlight(EmbeddingServer server, CompletableFuture<?> request)
            throws Exception {
        Pattern gauge = Pattern.compile("(?m)^onyx_http_requests_in_flight (\\S+)$");
        while (!request.isDone()) {
            Matcher m = gauge.matcher(get(server, "/metrics").body());
            if (m.find() && Double.parseDouble(m.group(1)) >= 2) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    @Test
    void shutdownWithABacklogAnswersEveryRequestWithVectorsOr503AndRunsNothingAbandoned() throws Exception {
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel())) {
            // one worker and a tiny token budget: 12 requests of 32 long texts queue up behind each other for seconds
            ServerConfig config = ServerConfig.defaults()
                    .withPort(0)
                    .withBatchWorkers(1)
                    .withMaxBatchTokens(2_048)
                    .withShutdownTimeoutMillis(300);
            EmbeddingServer server = EmbeddingServer.start(config, Map.of("all-minilm-l6-v2", embedder));
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (int r = 0; r < 12; r++) {
                String body = toJson(Map.of(
                        "model",
                        "all-minilm-l6-v2",
                        "input",
                        Collections.nCopies(32, "request " + r + " a union of states ".repeat(12))));
                requests.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return post(server, "/v1/embeddings", body);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            awaitAnotherRequestInFlight(server, requests.get(0));
            Thread.sleep(200); // the others reach the queue

            long start = System.nanoTime();
            server.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;

            int ok = 0;
            int unavailable = 0;
            for (CompletableFuture<HttpResponse<String>> request : requests) {
                HttpResponse<String> response = request.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    assertThat(json(response).get("data").size()).isEqualTo(32);
                    ok++;
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    assertThat(response.body()).contains("shut");
                    unavailable++;
                }
            }
            assertThat(ok + unavailable).isEqualTo(12);
            assertThat(unavailable).as("requests still queued at the deadline").isPositive();
            assertThat(closeMillis).as("close with a 300 ms drain").isLessThan(30_000);
            assertThat(embedder.embed("the embedder is still open and usable")).hasSize(384);
        }
    }

    @Test
    void aTakenPortIsReportedWithTheAddress() throws Exception {
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel());
                EmbeddingServer first =
                        EmbeddingServer.start(ServerConfig.defaults().withPort(0), Map.of("m", embedder))) {
            ServerConfig same = ServerConfig.defaults().withPort(first.port());

            assertThatThrownBy(() -> EmbeddingServer.start(same, Map.of("m", embedder)))
                    .isInstanceOf(OnyxException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
        }
    }
}
