package dev.onyx.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Similarity;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on its own, with several workers: requests whose inputs land in different length groups get their own
 * vectors in order, a request the model rejects fails alone, and close finishes what was queued.
 */
class BatchSchedulerTest {
    private static final String[] WORDS =
            "the union congress treaty nation people war peace commerce states law liberty".split(" ");
    private static Embedder embedder;

    @BeforeAll
    static void open() throws Exception {
        embedder = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static BatchScheduler scheduler(int workers) {
        return new BatchScheduler("m", embedder, new ServerMetrics(), 16_384, 2, workers, 100_000);
    }

    /** 1–5 texts of 1–120 words each: a request's inputs span short and long length groups. */
    private static List<long[]> request(Random random) {
        List<long[]> ids = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0, words = 1 + random.nextInt(random.nextBoolean() ? 8 : 120); w < words; w++) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            ids.add(embedder.tokenIds(text.toString()));
        }
        return ids;
    }

    private static int tokens(List<long[]> ids) {
        return ids.stream().mapToInt(row -> row.length).sum();
    }

    @Test
    void concurrentRequestsWithMixedLengthsGetTheirOwnVectorsInOrder() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (BatchScheduler scheduler = scheduler(3)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                Random random = new Random(c);
                running.add(clients.submit(() -> {
                    for (int r = 0; r < 6; r++) {
                        List<long[]> ids = request(random);
                        BatchScheduler.Outcome outcome =
                                scheduler.submit(ids, tokens(ids)).get(60, TimeUnit.SECONDS);
                        Embeddings alone = embedder.embedTokenIds(ids, false);
                        assertThat(outcome.vectors().length).isEqualTo(ids.size());
                        for (int i = 0; i < ids.size(); i++) {
                            assertThat(Similarity.cosine(outcome.vectors()[i], alone.vector(i)))
                                    .as("input %d of a %d-input request", i, ids.size())
                                    .isGreaterThan(0.99999);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aRequestTheModelRejectsFailsAloneAndTheOthersComplete() throws Exception {
        try (BatchScheduler scheduler = scheduler(2)) {
            List<CompletableFuture<BatchScheduler.Outcome>> good = new ArrayList<>();
            Random random = new Random(7);
            List<long[]> first = request(random);
            good.add(scheduler.submit(first, tokens(first)));
            // an id far outside the vocabulary: ONNX Runtime's Gather refuses it
            List<long[]> bad = List.of(new long[] {101, 1_000_000_000L, 102});
            CompletableFuture<BatchScheduler.Outcome> failing = scheduler.submit(bad, 3);
            for (int i = 0; i < 8; i++) {
                List<long[]> ids = request(random);
                good.add(scheduler.submit(ids, tokens(ids)));
            }
            assertThatThrownBy(() -> failing.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            for (CompletableFuture<BatchScheduler.Outcome> f : good) {
                assertThat(f.get(60, TimeUnit.SECONDS).vectors().length).isPositive();
            }
            assertThat(scheduler.running()).isTrue();
        }
    }

    @Test
    void closeFinishesQueuedRequestsAndRefusesNewOnes() throws Exception {
        BatchScheduler scheduler = scheduler(2);
        Random random = new Random(3);
        List<CompletableFuture<BatchScheduler.Outcome>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<long[]> ids = request(random);
            queued.add(scheduler.submit(ids, tokens(ids)));
        }
        scheduler.close();
        for (CompletableFuture<BatchScheduler.Outcome> f : queued) {
            assertThat(f).isDone();
            assertThat(f.get().vectors().length).isPositive();
        }
        assertThat(scheduler.running()).isFalse();
        assertThatThrownBy(() -> scheduler.submit(List.of(new long[] {101, 102}), 2))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void abandonAnswersEveryQueuedRequestWith503AndCloseThenEndsWithoutRunningThem() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        BatchScheduler scheduler = new BatchScheduler("m", embedder, metrics, 512, 2, 1, 100_000);
        Random random = new Random(11);
        List<CompletableFuture<BatchScheduler.Outcome>> queued = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            List<long[]> ids = request(random);
            sizes.add(ids.size());
            queued.add(scheduler.submit(ids, tokens(ids)));
        }

        int abandoned = scheduler.abandonQueued();
        scheduler.close();

        int answered503 = 0;
        int answeredInputs = 0;
        for (int r = 0; r < queued.size(); r++) {
            CompletableFuture<BatchScheduler.Outcome> f = queued.get(r);
            assertThat(f).isDone();
            if (f.isCompletedExceptionally()) {
                assertThatThrownBy(f::get)
                        .hasCauseInstanceOf(ApiException.class)
                        .hasMessageContaining("shut down before this request ran");
                answered503++;
            } else {
                assertThat(f.get().vectors().length).isEqualTo(sizes.get(r));
                answeredInputs += sizes.get(r);
            }
        }
        assertThat(abandoned).isEqualTo(answered503).isGreaterThan(20);
        Matcher ran =
                Pattern.compile("(?m)^onyx_batch_size_sum\\{[^}]*} (\\S+)$").matcher(metrics.scrape());
        double ranInputs = ran.find() ? Double.parseDouble(ran.group(1)) : 0; // no run started: no summary yet
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        // the runs already started when abandon came may hold inputs of an abandoned request; nothing later ran
        assertThat(ranInputs)
                .as("inputs the model ran, of %d queued", total)
                .isGreaterThanOrEqualTo(answeredInputs)
                .isLessThan(total / 2.0);
        assertThat(scheduler.running()).isFalse();
    }

    @Test
    void aCancelledRequestIsLeftOutAndTheOthersComplete() throws Exception {
        try (BatchScheduler scheduler = scheduler(1)) {
            Random random = new Random(5);
            List<CompletableFuture<BatchScheduler.Outcome>> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                List<long[]> ids = request(random);
                all.add(scheduler.submit(ids, tokens(ids)));
            }
            CompletableFuture<BatchScheduler.Outcome> cancelled = all.remove(all.size() - 1);
            cancelled.cancel(false);
            for (CompletableFuture<BatchScheduler.Outcome> f : all) {
                assertThat(f.get(60, TimeUnit.SECONDS).vectors().length).isPositive();
            }
            assertThat(cancelled).isCancelled();
            assertThat(scheduler.running()).isTrue();
        }
    }

    @Test
    void zeroWorkersIsRefusedWithTheAllowedRange() {
        assertThatThrownBy(() -> scheduler(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers must be at least 1, was 0");
    }
}
