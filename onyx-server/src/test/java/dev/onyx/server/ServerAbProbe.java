package dev.onyx.server;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-run A/B probe over real HTTP, not a test: server variants (scheduler levers) side by side in one process,
 * each round one library pass ({@code embed(texts)}, default options) and then every variant under every load in an
 * order that rotates from round to round; each ratio is the server's texts/s over that round's library figure.
 *
 * <pre>
 * java -cp ... dev.onyx.server.ServerAbProbe TEXT_FILE [texts 1000] [rounds 3] [variants before,gather]
 * </pre>
 *
 * Variants: {@code before} (no gather wait while requests arrive), {@code gather} (the default server),
 * {@code gatherN} (gather with an N ms wait), {@code w1} (1 worker × all cores).
 */
public final class ServerAbProbe {
    private ServerAbProbe() {}

    private static final int[][] LOADS = {{32, 1}, {32, 8}};

    public static void main(String[] args) throws Exception {
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> variants = List.of((args.length > 3 ? args[3] : "before,gather").split(","));
        List<String> texts = Files.readAllLines(Path.of(args[0])).stream()
                .filter(l -> !l.isBlank())
                .limit(limit)
                .toList();
        Map<String, Embedder> opened = new LinkedHashMap<>();
        Map<String, EmbeddingServer> servers = new LinkedHashMap<>();
        Function<ServerConfig, Embedder> served = c -> opened.computeIfAbsent("w" + c.batchWorkers(), k -> {
            try {
                return Embedder.open(ModelSource.defaultModel(), EmbeddingServer.servingOptions(c));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Embedder library = Embedder.open(ModelSource.defaultModel())) {
            for (String v : variants) {
                ServerConfig c = ServerConfig.defaults().withPort(0);
                boolean gather = !v.equals("before");
                if (v.startsWith("gather") && v.length() > 6) c = c.withMaxWaitMillis(Integer.parseInt(v.substring(6)));
                if (v.equals("w1")) c = c.withBatchWorkers(1);
                servers.put(v, EmbeddingServer.start(c, Map.of(ModelSource.DEFAULT_MODEL, served.apply(c)), gather));
            }
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> warm = texts.subList(0, Math.min(100, texts.size()));
            library.embed(warm);
            for (EmbeddingServer s : servers.values()) for (int[] l : LOADS) load(http, s, warm, l[0], l[1]);
            List<String[]> keys = new ArrayList<>();
            for (String v : variants) for (int[] l : LOADS) keys.add(new String[] {v, l[0] + "x" + l[1]});
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                library.embed(texts);
                double lib = texts.size() / ((System.nanoTime() - t0) / 1e9);
                System.out.printf("round %d library %.1f texts/s%n", round, lib);
                for (int k = 0; k < keys.size(); k++) {
                    String[] key = keys.get((round - 1 + k) % keys.size());
                    int[] l = Arrays.stream(key[1].split("x"))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                    double[] r = load(http, servers.get(key[0]), texts, l[0], l[1]);
                    ratios.computeIfAbsent(key[0] + " " + key[1], x -> new ArrayList<>())
                            .add(r[0] / lib);
                    System.out.printf(
                            "round %d %-8s %-5s %6.1f texts/s ratio %.3f p50 %5.0f p99 %5.0f ms gather %.1f run %.1f"
                                    + " errors %.0f%n",
                            round, key[0], key[1], r[0], r[0] / lib, r[1], r[2], r[3], r[4], r[5]);
                }
            }
            ratios.forEach((k, v) -> System.out.printf(
                    "%-16s mean ratio %.3f  per round %s%n",
                    k, v.stream().mapToDouble(d -> d).average().orElse(0), v));
        } finally {
            servers.values().forEach(EmbeddingServer::close);
            opened.values().forEach(Embedder::close);
        }
    }

    /** {texts/s, p50 ms, p99 ms, mean gather, mean run, errors}. */
    static double[] load(HttpClient http, EmbeddingServer server, List<String> texts, int clients, int perRequest)
            throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings");
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += perRequest) {
            StringBuilder b = new StringBuilder("{\"input\":[");
            for (int i = from; i < Math.min(texts.size(), from + perRequest); i++) {
                if (i > from) b.append(',');
                b.append(quote(texts.get(i)));
            }
            bodies.add(b.append("]}").toString());
        }
        double[] before = stats(http, server);
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
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(uri)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) errors.incrementAndGet();
                        nanos[i] = System.nanoTime() - t;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] after = stats(http, server);
        Arrays.sort(nanos);
        return new double[] {
            texts.size() / seconds,
            nanos[nanos.length / 2] / 1e6,
            nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
            (after[2] - before[2]) / Math.max(1, after[3] - before[3]),
            (after[0] - before[0]) / Math.max(1, after[1] - before[1]),
            errors.get()
        };
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    private static double[] stats(HttpClient http, EmbeddingServer server) throws Exception {
        String m = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return new double[] {
            metric(m, "onyx_batch_size_sum"),
            metric(m, "onyx_batch_size_count"),
            metric(m, "onyx_gather_size_sum"),
            metric(m, "onyx_gather_size_count")
        };
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
