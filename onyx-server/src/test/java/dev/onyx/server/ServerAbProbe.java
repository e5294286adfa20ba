package dev.onyx.server;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-run A/B probe over real HTTP, not a test: server variants (scheduler levers) and load clients side by side in
 * one process, each round one library pass ({@code embed(texts)}, default options) and then every variant under every
 * load in an order that rotates from round to round; each ratio is the server's texts/s over that round's library
 * figure. After each load it prints where the process's CPU went: per thread group (load clients, the JDK client's
 * threads, Jetty's threads, the batch workers, other Java threads) and the rest of the process (native threads not
 * attached to the JVM, GC and JIT threads).
 *
 * <pre>
 * java [-Dprobe.warm=100] -cp ... dev.onyx.server.ServerAbProbe TEXT_FILE [texts 1000] [rounds 3] [variants gather:lean,gather:jdk]
 * </pre>
 *
 * {@code probe.warm}: texts of the warm-up pass of the library and of every variant and load before the rounds.
 *
 * A variant is {@code SERVER:CLIENT}. Servers: {@code before} (no gather wait while requests arrive), {@code gather}
 * (the default server), {@code gatherN} (gather with an N ms wait), {@code w1} (1 worker × all cores). Clients:
 * {@code lean} ({@link LoadClient}), {@code jdk} ({@code java.net.http}, HTTP/1.1, as the bench used before).
 */
public final class ServerAbProbe {
    private ServerAbProbe() {}

    private static final int[][] LOADS = {{32, 1}, {32, 8}};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> variants = List.of((args.length > 3 ? args[3] : "gather:lean,gather:jdk").split(","));
        int[][] loads = args.length > 4
                ? Arrays.stream(args[4].split(","))
                        .map(l -> Arrays.stream(l.split("x"))
                                .mapToInt(Integer::parseInt)
                                .toArray())
                        .toArray(int[][]::new)
                : LOADS;
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
            for (String variant : variants) {
                String v = variant.split(":")[0];
                if (servers.containsKey(v)) continue;
                ServerConfig c = ServerConfig.defaults().withPort(0);
                boolean gather = !v.equals("before");
                if (v.startsWith("gather") && v.length() > 6) c = c.withMaxWaitMillis(Integer.parseInt(v.substring(6)));
                if (v.equals("w1")) c = c.withBatchWorkers(1);
                servers.put(v, EmbeddingServer.start(c, Map.of(ModelSource.DEFAULT_MODEL, served.apply(c)), gather));
            }
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> warm = texts.subList(0, Math.min(Integer.getInteger("probe.warm", 100), texts.size()));
            library.embed(warm);
            for (String variant : variants) for (int[] l : loads) load(http, variant, servers, warm, l[0], l[1]);
            List<String[]> keys = new ArrayList<>();
            for (String v : variants) for (int[] l : loads) keys.add(new String[] {v, l[0] + "x" + l[1]});
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                long c0 = processCpu();
                library.embed(texts);
                double lib = texts.size() / ((System.nanoTime() - t0) / 1e9);
                System.out.printf(
                        "round %d library %.1f texts/s, %.2f ms CPU per text%n",
                        round, lib, (processCpu() - c0) / 1e6 / texts.size());
                for (int k = 0; k < keys.size(); k++) {
                    String[] key = keys.get((round - 1 + k) % keys.size());
                    int[] l = Arrays.stream(key[1].split("x"))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                    double[] r = load(http, key[0], servers, texts, l[0], l[1]);
                    ratios.computeIfAbsent(key[0] + " " + key[1], x -> new ArrayList<>())
                            .add(r[0] / lib);
                    System.out.printf(
                            "round %d %-12s %-5s %6.1f texts/s ratio %.3f p50 %5.0f p99 %5.0f ms gather %.1f run %.1f"
                                    + " padding %.1f %% errors %.0f%n",
                            round, key[0], key[1], r[0], r[0] / lib, r[1], r[2], r[3], r[4], 100 * r[6], r[5]);
                }
            }
            ratios.forEach((k, v) -> System.out.printf(
                    "%-20s mean ratio %.3f  per round %s%n",
                    k, v.stream().mapToDouble(d -> d).average().orElse(0), v));
        } finally {
            servers.values().forEach(EmbeddingServer::close);
            opened.values().forEach(Embedder::close);
        }
    }

    /** {texts/s, p50 ms, p99 ms, mean gather, mean run, errors}; prints the load's CPU split. */
    static double[] load(
            HttpClient http,
            String variant,
            Map<String, EmbeddingServer> servers,
            List<String> texts,
            int clients,
            int perRequest)
            throws Exception {
        EmbeddingServer server = servers.get(variant.split(":")[0]);
        boolean lean = !variant.endsWith(":jdk");
        List<LoadClient.Request> requests =
                LoadClient.embeddings(Optional.of(ModelSource.DEFAULT_MODEL), texts, perRequest);
        double[] before = stats(http, server);
        Map<String, Long> cpu0 = cpuByGroup();
        long process0 = processCpu();
        long gc0 = gcMillis();
        long start = System.nanoTime();
        long[] nanos;
        int errors;
        long clientCpu;
        if (lean) {
            LoadClient.Outcome o = new LoadClient("127.0.0.1", server.port(), "/v1/embeddings").run(requests, clients);
            nanos = o.latencyNanos();
            errors = o.errors();
            o.firstError().ifPresent(e -> System.out.println("first error: " + e));
            clientCpu = o.clientCpuNanos();
        } else {
            nanos = new long[requests.size()];
            long[] cpu = new long[1];
            errors = jdk(http, server, requests, clients, nanos, cpu);
            clientCpu = cpu[0];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long process = processCpu() - process0;
        Map<String, Long> cpu = cpuByGroup();
        cpu.replaceAll((g, n) -> n - cpu0.getOrDefault(g, 0L));
        cpu.put("client-threads", clientCpu);
        long java = cpu.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder split = new StringBuilder();
        cpu.forEach((g, n) -> split.append(String.format(" %s %.2f", g, n / 1e9 / seconds)));
        System.out.printf(
                "  cpu %-12s %dx%d: %.2f ms CPU per text; process %.2f cores; java threads%s; rest (native/GC/JIT) %.2f;"
                        + " GC %d ms%n",
                variant,
                clients,
                perRequest,
                process / 1e6 / texts.size(),
                process / 1e9 / seconds,
                split,
                (process - java) / 1e9 / seconds,
                gcMillis() - gc0);
        double[] after = stats(http, server);
        Arrays.sort(nanos);
        return new double[] {
            texts.size() / seconds,
            nanos[nanos.length / 2] / 1e6,
            nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
            (after[2] - before[2]) / Math.max(1, after[3] - before[3]),
            (after[0] - before[0]) / Math.max(1, after[1] - before[1]),
            errors,
            1 - (after[4] - before[4]) / Math.max(1, after[5] - before[5])
        };
    }

    /** The {@code java.net.http} client loop the benchmark used before {@link LoadClient}; returns the errors. */
    private static int jdk(
            HttpClient http,
            EmbeddingServer server,
            List<LoadClient.Request> requests,
            int clients,
            long[] nanos,
            long[] cpu)
            throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> new Thread(r, "jdk-load-client"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(uri)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                new String(requests.get(i).body(), StandardCharsets.UTF_8)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().contains("\"embedding\"")) errors.incrementAndGet();
                        nanos[i] = System.nanoTime() - t;
                    }
                    synchronized (cpu) {
                        cpu[0] += THREADS.getCurrentThreadCpuTime();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdown();
        }
        return errors.get();
    }

    /** CPU nanoseconds of the live Java threads, by group of thread name. */
    private static Map<String, Long> cpuByGroup() {
        Map<String, Long> out = new TreeMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = THREADS.getThreadInfo(id);
            long n = THREADS.getThreadCpuTime(id);
            if (info == null || n < 0 || group(info.getThreadName()) == null) continue;
            out.merge(group(info.getThreadName()), n, Long::sum);
        }
        return out;
    }

    private static String group(String name) {
        if (name.startsWith("onyx-load-client") || name.startsWith("jdk-load-client")) return null; // own count
        if (name.startsWith("HttpClient")) return "jdk-http";
        if (name.startsWith("onyx-batcher")) return "batchers";
        if (name.startsWith("JettyServerThreadPool") || name.startsWith("qtp")) return "jetty";
        return "other";
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
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
            metric(m, "onyx_gather_size_count"),
            metric(m, "onyx_batch_tokens_sum"),
            metric(m, "onyx_batch_padded_tokens_sum")
        };
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
