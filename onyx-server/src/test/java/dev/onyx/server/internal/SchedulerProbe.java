package dev.onyx.server.internal;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.server.EmbeddingServer;
import dev.onyx.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A hand-run A/B probe, not a test: the batch scheduler without HTTP, {@code clients} threads each tokenizing one
 * sentence and waiting for its vector, against the library's {@code embed(chunk)} (default options) on the same
 * sentences. Contenders alternate chunk by chunk in one process (rotating who goes first), so host noise hits all.
 *
 * <pre>
 * java -cp ... dev.onyx.server.internal.SchedulerProbe TEXT_FILE [limit 600] [chunk 200] [clients 32] [textsPerRequest 1]
 * </pre>
 */
public final class SchedulerProbe {
    private SchedulerProbe() {}

    public static void main(String[] args) throws Exception {
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int perRequest = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        List<String> texts = Files.readAllLines(Path.of(args[0])).stream()
                .filter(l -> !l.isBlank())
                .limit(limit)
                .toList();
        ServerConfig config = ServerConfig.defaults();
        EmbedOptions serving = EmbeddingServer.servingOptions(config);
        try (Embedder library = Embedder.open(ModelSource.defaultModel());
                Embedder served = Embedder.open(ModelSource.defaultModel(), serving);
                BatchScheduler now = new BatchScheduler(
                        "new",
                        served,
                        new ServerMetrics(),
                        config.maxBatchTokens(),
                        config.maxWaitMillis(),
                        config.batchWorkers(),
                        config.maxConcurrentInputs());
                BatchScheduler wide = new BatchScheduler(
                        "wide",
                        served,
                        new ServerMetrics(),
                        config.maxBatchTokens(),
                        config.maxWaitMillis(),
                        config.batchWorkers(),
                        config.maxConcurrentInputs(),
                        64,
                        Integer.MAX_VALUE,
                        () -> 0);
                OldBatchScheduler old = new OldBatchScheduler(
                        "old",
                        served,
                        new ServerMetrics(),
                        config.maxBatchTokens(),
                        config.maxWaitMillis(),
                        config.batchWorkers(),
                        config.maxConcurrentInputs())) {
            ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
                Thread t = new Thread(r);
                t.setDaemon(true); // a failed probe still ends
                return t;
            });
            List<String> names = List.of("library", "new", "wide", "old");
            List<Function<List<String>, Long>> runs = List.of(
                    c -> time(() -> library.embed(c)),
                    c -> time(() -> clients(
                            pool,
                            clients,
                            c,
                            perRequest,
                            ids -> now.submit(ids, sum(ids)).thenApply(BatchScheduler.Outcome::vectors),
                            served)),
                    c -> time(() -> clients(
                            pool,
                            clients,
                            c,
                            perRequest,
                            ids -> wide.submit(ids, sum(ids)).thenApply(BatchScheduler.Outcome::vectors),
                            served)),
                    c -> time(() -> clients(
                            pool,
                            clients,
                            c,
                            perRequest,
                            ids -> old.submit(ids, sum(ids)).thenApply(OldBatchScheduler.Outcome::vectors),
                            served)));
            long[] nanos = new long[names.size()];
            runs.forEach(r -> r.apply(texts.subList(0, Math.min(100, texts.size())))); // warm-up
            int round = 0;
            for (int from = 0; from < texts.size(); from += chunk, round++) {
                List<String> part = texts.subList(from, Math.min(texts.size(), from + chunk));
                for (int k = 0; k < names.size(); k++) {
                    int who = (round + k) % names.size();
                    nanos[who] += runs.get(who).apply(part);
                }
            }
            pool.shutdown();
            for (int k = 0; k < names.size(); k++) {
                System.out.printf(
                        "%-8s %7.1f texts/s  ratio to library %.3f%n",
                        names.get(k), texts.size() / (nanos[k] / 1e9), (double) nanos[0] / nanos[k]);
            }
        }
    }

    private static int sum(List<long[]> ids) {
        return ids.stream().mapToInt(r -> r.length).sum();
    }

    private static long time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    private static void clients(
            ExecutorService pool,
            int clients,
            List<String> texts,
            int perRequest,
            Function<List<long[]>, CompletableFuture<float[][]>> submit,
            Embedder tokenizer) {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                for (int i = next.getAndAdd(perRequest); i < texts.size(); i = next.getAndAdd(perRequest)) {
                    List<long[]> ids = new ArrayList<>();
                    for (int k = i; k < Math.min(texts.size(), i + perRequest); k++) {
                        ids.add(tokenizer.tokenIds(texts.get(k)));
                    }
                    float[][] v = submit.apply(ids).get();
                    if (v.length != ids.size()) throw new IllegalStateException("lost vectors");
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : running) f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
