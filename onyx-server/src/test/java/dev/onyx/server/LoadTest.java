package dev.onyx.server;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load generator: server throughput with N concurrent single-text clients against library {@code embed} throughput
 * on the same texts, with p50 / p99 request latency. A hand-run tool in test scope (not a test; {@code ./onyx bench}'s
 * server section is the committed benchmark); each run owns its embedders and server.
 *
 * <pre>
 * java -cp onyx-server/target/test-classes:onyx-server/target/classes:... dev.onyx.server.LoadTest TEXT_FILE
 *     [--limit 2000] [--clients 32] [--rounds 2]
 * </pre>
 *
 * <p>The library side is what a library user gets: an embedder with default options (intra-op threads = cores,
 * spinning on). The server serves its own embedder opened with {@link EmbeddingServer#servingOptions(ServerConfig)}.
 * Rounds alternate library and server so that a machine whose load drifts affects both; each round's ratio is its own
 * server figure over its own library figure. The clients run in the same JVM as the server (as a load tool on the same
 * host would share its CPUs) and are {@link LoadClient}'s: one blocking keep-alive HTTP/1.1 connection each.
 */
public final class LoadTest {
    private LoadTest() {}

    /** What one server round measured: texts per second, client-side request latency, mean inputs per batch. */
    public record ServerRound(double textsPerSecond, double p50Millis, double p99Millis, double meanBatch) {}

    /** One alternating round: library throughput, then the server's. */
    public record Round(int round, double libraryTextsPerSecond, ServerRound server) {
        public double ratio() {
            return server.textsPerSecond() / libraryTextsPerSecond;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadTest TEXT_FILE [--limit 2000] [--clients 32] [--rounds 2]");
            System.exit(2);
        }
        int limit = intOption(args, "--limit", 2000);
        int clients = intOption(args, "--clients", 32);
        int rounds = intOption(args, "--rounds", 2);
        List<String> texts = Files.readAllLines(Path.of(args[0])).stream()
                .filter(line -> !line.isBlank())
                .limit(limit)
                .toList();
        System.out.printf("%d texts, %d clients, %d cores%n", texts.size(), clients, cpus());
        List<Round> done = run(texts, clients, rounds, ServerConfig.defaults(), System.out);
        Round best = done.stream()
                .max(java.util.Comparator.comparingDouble(Round::ratio))
                .orElseThrow();
        System.out.printf(
                "best round %d: ratio %.2f; mean ratio %.2f%n",
                best.round(),
                best.ratio(),
                done.stream().mapToDouble(Round::ratio).average().orElse(0));
    }

    /**
     * Opens the bundled model twice (library and served), starts a server on a free port of 127.0.0.1 with
     * {@code config}, and runs {@code rounds} alternating rounds, printing each to {@code log}.
     */
    public static List<Round> run(List<String> texts, int clients, int rounds, ServerConfig config, PrintStream log)
            throws IOException {
        List<Round> out = new ArrayList<>();
        try (Embedder library = Embedder.open(ModelSource.defaultModel());
                Embedder served = Embedder.open(ModelSource.defaultModel(), EmbeddingServer.servingOptions(config));
                EmbeddingServer server =
                        EmbeddingServer.start(config.withPort(0), Map.of(ModelSource.DEFAULT_MODEL, served))) {
            List<String> warmUp = texts.subList(0, Math.min(100, texts.size()));
            library.embed(warmUp);
            server(server, warmUp, clients);
            for (int round = 1; round <= rounds; round++) {
                double libraryRate = library(library, texts);
                ServerRound serverRound = server(server, texts, clients);
                Round r = new Round(round, libraryRate, serverRound);
                log.printf(
                        "round %d: library %.1f texts/s; server %.1f texts/s (ratio %.2f), p50 %.1f ms, p99 %.1f ms,"
                                + " mean batch %.1f inputs%n",
                        round,
                        libraryRate,
                        serverRound.textsPerSecond(),
                        r.ratio(),
                        serverRound.p50Millis(),
                        serverRound.p99Millis(),
                        serverRound.meanBatch());
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    private static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        }
        return fallback;
    }

    /** One {@code embed(texts)} call over everything: the library's batched throughput. */
    public static double library(Embedder embedder, List<String> texts) {
        long start = System.nanoTime();
        embedder.embed(texts);
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Every text as its own request, {@code clients} at a time ({@link LoadClient}); an error fails the round. */
    public static ServerRound server(EmbeddingServer server, List<String> texts, int clients) throws IOException {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        double[] before = batchStats(http, server);
        LoadClient.Outcome o = new LoadClient("127.0.0.1", server.port(), "/v1/embeddings")
                .run(LoadClient.embeddings(Optional.of(ModelSource.DEFAULT_MODEL), texts, 1), clients);
        if (o.errors() > 0) {
            throw new OnyxException(o.errors() + " requests failed; the first: "
                    + o.firstError().orElseThrow());
        }
        double[] after = batchStats(http, server);
        return new ServerRound(
                texts.size() / o.seconds(),
                o.percentileMillis(50),
                o.percentileMillis(99),
                (after[0] - before[0]) / Math.max(1, after[1] - before[1]));
    }

    /** {sum, count} of the server's batch-size histogram. */
    private static double[] batchStats(HttpClient http, EmbeddingServer server) throws IOException {
        String metrics;
        try {
            metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading /metrics");
        }
        return new double[] {metric(metrics, "onyx_batch_size_sum"), metric(metrics, "onyx_batch_size_count")};
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
