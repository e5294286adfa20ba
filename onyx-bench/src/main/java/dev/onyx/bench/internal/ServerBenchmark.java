package dev.onyx.bench.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.bench.BenchReport.ServerLoad;
import dev.onyx.bench.BenchReport.ServerRound;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import dev.onyx.server.EmbeddingServer;
import dev.onyx.server.ServerConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedding server ({@link EmbeddingServer} with {@link ServerConfig#defaults()}, its model opened with {@link
 * EmbeddingServer#servingOptions}) under concurrent HTTP clients ({@code java.net.http}, HTTP/1.1 keep-alive, in this
 * JVM) sending {@code POST /v1/embeddings}, against the library ({@code Embedder.embed(texts)} with default options)
 * on the same texts. A round is one library pass and then every load; the order of the loads rotates from round to
 * round. Each load is {@code {clients, texts per request}}. Not thread-safe; one run each.
 */
public final class ServerBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARM_UP_TEXTS = 100;

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

    /** What ran: every round, the server's configuration and the served embedder's options. */
    public record Result(List<ServerRound> rounds, String config, String servedOptions) {}

    public Result run() throws IOException {
        ServerConfig config = ServerConfig.defaults();
        EmbedOptions servingOptions = EmbeddingServer.servingOptions(config);
        List<ServerRound> out = new ArrayList<>();
        try (Embedder library = Embedder.open(ModelSource.parse(model));
                Embedder served = Embedder.open(ModelSource.parse(model), servingOptions);
                EmbeddingServer server = EmbeddingServer.start(config.withPort(0), Map.of(model, served))) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> warmUp = texts.subList(0, Math.min(WARM_UP_TEXTS, texts.size()));
            library.embed(warmUp);
            for (int[] load : loads) load(http, server, warmUp, load[0], load[1]);
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
        }
        return new Result(List.copyOf(out), config.toString(), servingOptions.toString());
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
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings");
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += perRequest) {
            bodies.add(body(texts.subList(from, Math.min(texts.size(), from + perRequest))));
        }
        double[] before = batchStats(http, server);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long[] nanos = new long[bodies.size()];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        if (!send(http, uri, bodies.get(i))) errors.incrementAndGet();
                        nanos[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the clients ran");
        } catch (ExecutionException e) {
            throw new OnyxException("a client failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] after = batchStats(http, server);
        double[] millis = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
        double batches = after[1] - before[1];
        return new ServerLoad(
                clients,
                perRequest,
                bodies.size(),
                Stats.round(texts.size() / seconds, 1),
                Stats.round(Stats.percentile(millis, 50), 1),
                Stats.round(Stats.percentile(millis, 95), 1),
                Stats.round(Stats.percentile(millis, 99), 1),
                batches > 0 ? Stats.round((after[0] - before[0]) / batches, 1) : 0,
                errors.get(),
                0);
    }

    private String body(List<String> batch) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        if (batch.size() == 1) {
            body.put("input", batch.get(0));
        } else {
            batch.forEach(body.putArray("input")::add);
        }
        return body.toString();
    }

    /** One request; whether it was answered 200 with a body. */
    private static boolean send(HttpClient http, URI uri, String body) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"embedding\"");
        } catch (IOException e) {
            return false;
        }
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
