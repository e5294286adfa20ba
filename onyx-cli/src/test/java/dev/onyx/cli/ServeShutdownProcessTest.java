package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onyx serve} as its own process, stopped by SIGTERM while a backlog of long requests is queued: every request is
 * answered (vectors, or 503 with Retry-After once the drain deadline passes), the process exits 0 within the deadline
 * plus the runs already started, and nothing crashes.
 */
class ServeShutdownProcessTest {
    private static final int REQUESTS = 10;
    private static final int TEXTS = 32;

    @Test
    void sigtermWithABacklogAnswersEveryRequestAndExitsZero(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:ErrorFile=" + dir.resolve("hs_err.log"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.onyx.cli.Main",
                        "serve",
                        "--port",
                        "0",
                        "--batch-workers",
                        "1",
                        "--max-batch-tokens",
                        "2048",
                        "--shutdown-timeout",
                        "500ms")
                .redirectError(stderr.toFile())
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            int port = port(out);
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (int r = 0; r < REQUESTS; r++) {
                StringBuilder body = new StringBuilder("{\"input\":[");
                for (int t = 0; t < TEXTS; t++) {
                    body.append(t == 0 ? "" : ",")
                            .append("\"request ")
                            .append(r)
                            .append(' ')
                            .append("a union of states ".repeat(12))
                            .append('"');
                }
                requests.add(http.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/embeddings"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        body.append("]}").toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            awaitInFlight(http, port, REQUESTS);

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
            int ok = 0;
            int unavailable = 0;
            for (CompletableFuture<HttpResponse<String>> request : requests) {
                HttpResponse<String> response = request.get(10, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    ok++;
                    assertThat(response.body()).contains("\"index\":" + (TEXTS - 1));
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    unavailable++;
                }
            }
            assertThat(ok + unavailable).isEqualTo(REQUESTS);
            assertThat(unavailable).as("requests still queued at the deadline").isPositive();
            assertThat(Files.readString(stderr)).doesNotContain("SIGSEGV", "fatal error");
            assertThat(dir.resolve("hs_err.log")).doesNotExist();
        } finally {
            process.destroyForcibly();
        }
    }

    /** The port from the "serving ... on http://127.0.0.1:PORT" line. */
    private static int port(BufferedReader out) throws java.io.IOException {
        Pattern banner = Pattern.compile("serving .* on http://127\\.0\\.0\\.1:(\\d+)");
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = banner.matcher(line);
            if (m.find()) return Integer.parseInt(m.group(1));
        }
        throw new AssertionError("serve ended before it printed its address");
    }

    /** Polls /metrics until the requests (and the scrape) are being handled. */
    private static void awaitInFlight(HttpClient http, int port, int requests) throws Exception {
        Pattern gauge = Pattern.compile("(?m)^onyx_http_requests_in_flight (\\S+)$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher m = gauge.matcher(metrics);
            if (m.find() && Double.parseDouble(m.group(1)) >= requests + 1) {
                Thread.sleep(200); // they pass tokenization and reach the queue
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the requests never were all in flight");
    }
}
