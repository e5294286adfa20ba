package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.ServerLoad;
import dev.onyx.bench.BenchReport.ServerRound;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.server.EmbeddingServer;
import dev.onyx.server.LoadClient;
import dev.onyx.server.ServerConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedding server ({@link EmbeddingServer} with {@link ServerConfig#defaults()}, its model opened with {@link
 * EmbeddingServer#servingOptions}) under concurrent HTTP clients ({@link LoadClient}: one blocking HTTP/1.1 keep-alive
 * connection per client, in this JVM; every answer checked) sending {@code POST /v1/embeddings}, against the library ({@code Embedder.embed(texts)} with default options)
 * on the same texts. A round is one library pass and then every load; the order of the loads rotates from round to
 * round. Each load is {@code {clients, texts per request}}. Before the rounds, one unreported warm-up round (a library
 * pass and every load once over the same texts): the server's per-request path (Jetty, JSON, the scheduler) is far more
 * Java code than the library's loop, and measured right after 100 warm-up requests its JIT compiler still took
 * 0.07–0.16 of the 2 cores for minutes, so the first rounds measured the JIT's warm-up rather than a serving server.
 * One warm-up round was not enough either (C2 still compiled Jetty/Javalin/Jackson methods called once per request for
 * 1–3 s of every 20-s load), so the busiest one-text load then repeats until the JIT compiler's time during a pass is at
 * most {@link #JIT_SETTLED} of the cores: the rounds measure a server that has been serving, as in production.
 * Not thread-safe; one run each.
 */
public final class ServerBenchmark {
    /** The JIT compiler's share of the cores during a warm-up pass below which the server counts as warmed up. */
    static final double JIT_SETTLED = 0.02;

    static final int MAX_SETTLE_PASSES = 12;

    private final String model;
    private final List<String> texts;
    private final List<int[]> loads;
    private final int rounds;
    private final Quiet quiet;
    private final PrintStream log;

    public ServerBenchmark(
            String model, List<String> texts, List<int[]> loads, int rounds, Quiet quiet, PrintStream log) {
        this.model = model;
        this.texts = texts;
        this.loads = loads;
        this.rounds = rounds;
        this.quiet = quiet;
        this.log = log;
    }

    /**
     * What ran: every round, the server's configuration, the served embedder's options, the load client and the
     * warm-up before the rounds.
     */
    public record Result(List<ServerRound> rounds, String config, String servedOptions, String client, String warmUp) {}

    public Result run() throws IOException {
        ServerConfig config = ServerConfig.defaults();
        EmbedOptions servingOptions = EmbeddingServer.servingOptions(config);
        List<ServerRound> out = new ArrayList<>();
        try (Embedder library = Embedder.open(ModelSource.parse(model));
                Embedder served = Embedder.open(ModelSource.parse(model), servingOptions);
                EmbeddingServer server = EmbeddingServer.start(config.withPort(0), Map.of(model, served))) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long warmStart = System.nanoTime();
            library.embed(texts);
            for (int[] load : loads) load(http, server, texts, load[0], load[1]);
            String warmUp = "one unreported warm-up round (a library pass and every load once over the same %,d texts)"
                            .formatted(texts.size())
                    + untilJitSettles(http, server)
                    + ", %.0f s in all".formatted((System.nanoTime() - warmStart) / 1e9);
            log.println("server: " + warmUp);
            for (int round = 1; round <= rounds; round++) {
                quiet.settle();
                long start = System.nanoTime();
                library.embed(texts);
                double libraryRate = texts.size() / ((System.nanoTime() - start) / 1e9);
                log.printf("server round %d: library %.1f texts/s%n", round, libraryRate);
                ServerLoad[] measured = new ServerLoad[loads.size()];
                for (int k = 0; k < loads.size(); k++) {
                    int i = (round - 1 + k) % loads.size();
                    ServerLoad l = load(http, server, texts, loads.get(i)[0], loads.get(i)[1]);
                    measured[i] = withRatio(l, libraryRate);
                    log.printf(
                            "server round %d: %d clients x %d text(s): %.1f texts/s (ratio %.2f), p50 %.1f ms,"
                                    + " p99 %.1f ms, mean batch %.1f, errors %d%n",
                            round,
                            l.clients(),
                            l.textsPerRequest(),
                            l.textsPerSecond(),
                            measured[i].ratio(),
                            l.p50Millis(),
                            l.p99Millis(),
                            l.meanBatch(),
                            l.errors());
                }
                out.add(new ServerRound(round, texts.size(), Stats.round(libraryRate, 1), List.of(measured)));
            }
            return new Result(
                    List.copyOf(out), config.toString(), servingOptions.toString(), LoadClient.DESCRIPTION, warmUp);
        }
    }

    /**
     * Repeats the busiest one-text load (most clients) until the JIT compiler's share of the cores during a pass falls
     * to {@link #JIT_SETTLED} (at most {@link #MAX_SETTLE_PASSES} passes); describes what it did.
     */
    private String untilJitSettles(HttpClient http, EmbeddingServer server) throws IOException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return "; this JVM does not report its JIT compiler's time, so no passes until it settles";
        }
        int[] busiest = loads.stream()
                .filter(l -> l[1] == 1)
                .max(Comparator.comparingInt(l -> l[0]))
                .orElse(loads.get(0));
        int cores = Runtime.getRuntime().availableProcessors();
        double share = Double.NaN;
        int passes = 0;
        while (passes < MAX_SETTLE_PASSES && !(share <= JIT_SETTLED)) {
            long compiled = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            load(http, server, texts, busiest[0], busiest[1]);
            double wallMillis = (System.nanoTime() - start) / 1e6;
            share = (jit.getTotalCompilationTime() - compiled) / (wallMillis * cores);
            passes++;
            log.printf(
                    "server: warm-up pass %d (%d clients x %d text): JIT compiler %.1f %% of the cores%n",
                    passes, busiest[0], busiest[1], 100 * share);
        }
        return ("; then %d pass%s of %d clients × %d text until the JIT compiler took at most %.0f %% of the %d cores"
                        + " during a pass (%s; in the last pass %.1f %%)")
                .formatted(
                        passes,
                        passes == 1 ? "" : "es",
                        busiest[0],
                        busiest[1],
                        100 * JIT_SETTLED,
                        cores,
                        share <= JIT_SETTLED ? "reached" : "not reached in " + MAX_SETTLE_PASSES + " passes",
                        100 * share);
    }

    private static ServerLoad withRatio(ServerLoad l, double libraryRate) {
        return new ServerLoad(
                l.clients(),
                l.textsPerRequest(),
                l.requests(),
                l.textsPerSecond(),
                l.p50Millis(),
                l.p95Millis(),
                l.p99Millis(),
                l.meanBatch(),
                l.errors(),
                Stats.round(l.textsPerSecond() / libraryRate, 3));
    }

    /** Sends {@code texts} in requests of {@code perRequest} texts from {@code clients} concurrent clients. */
    private ServerLoad load(HttpClient http, EmbeddingServer server, List<String> texts, int clients, int perRequest)
            throws IOException {
        List<LoadClient.Request> requests = LoadClient.embeddings(Optional.of(model), texts, perRequest);
        double[] before = batchStats(http, server);
        LoadClient.Outcome o = new LoadClient("127.0.0.1", server.port(), "/v1/embeddings").run(requests, clients);
        o.firstError().ifPresent(e -> log.printf("server: %d errors, the first: %s%n", o.errors(), e));
        double[] after = batchStats(http, server);
        double batches = after[1] - before[1];
        return new ServerLoad(
                clients,
                perRequest,
                requests.size(),
                Stats.round(texts.size() / o.seconds(), 1),
                Stats.round(o.percentileMillis(50), 1),
                Stats.round(o.percentileMillis(95), 1),
                Stats.round(o.percentileMillis(99), 1),
                batches > 0 ? Stats.round((after[0] - before[0]) / batches, 1) : 0,
                o.errors(),
                0);
    }

    /** {sum, count} of the server's batch-size summary on {@code /metrics} (0, 0 when it has none). */
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
            throw new InterruptedIOException("interrupted while reading /metrics");
        }
        return new double[] {metric(metrics, "onyx_batch_size_sum"), metric(metrics, "onyx_batch_size_count")};
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
