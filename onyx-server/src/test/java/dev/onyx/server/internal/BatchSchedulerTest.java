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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        return scheduler(workers, false);
    }

    /**
     * @param arriving whether the server always reports more requests on their way than the scheduler holds, so that
     *     every gather short of a full one waits its 2 ms for company
     */
    private static BatchScheduler scheduler(int workers, boolean arriving) {
        return new BatchScheduler(
                "m",
                embedder,
                new ServerMetrics(),
                16_384,
                2,
                workers,
                100_000,
                arriving ? () -> Integer.MAX_VALUE : () -> 0);
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

    @ParameterizedTest(name = "requests always on their way: {0}")
    @ValueSource(booleans = {false, true})
    void concurrentRequestsWithMixedLengthsGetTheirOwnVectorsInOrder(boolean arriving) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (BatchScheduler scheduler = scheduler(3, arriving)) {
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

    @ParameterizedTest(name = "requests always on their way: {0}")
    @ValueSource(booleans = {false, true})
    void aRequestTheModelRejectsFailsAloneAndTheOthersComplete(boolean arriving) throws Exception {
        try (BatchScheduler scheduler = scheduler(2, arriving)) {
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

    /** A scheduler with one worker and a long wait, told that {@code inFlight} requests are in the server. */
    private static BatchScheduler waiting(ServerMetrics metrics, AtomicInteger inFlight) {
        return new BatchScheduler("m", embedder, metrics, 16_384, 60_000, 1, 100_000, inFlight::get);
    }

    private static double metric(ServerMetrics metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(metrics.scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void whileRequestsAreOnTheirWayAFreeWorkerWaitsAndGathersThemAllAtOnce() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        AtomicInteger inFlight = new AtomicInteger(5); // five requests entered the server; none reached the scheduler
        try (BatchScheduler scheduler = waiting(metrics, inFlight)) {
            Random random = new Random(13);
            List<List<long[]>> requests = new ArrayList<>();
            List<CompletableFuture<BatchScheduler.Outcome>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                List<long[]> ids = List.of(request(random).get(0));
                requests.add(ids);
                answers.add(scheduler.submit(ids, tokens(ids)));
            }
            for (int i = 0; i < 5; i++) {
                float[] vector = answers.get(i).get(60, TimeUnit.SECONDS).vectors()[0];
                assertThat(Similarity.cosine(
                                vector,
                                embedder.embedTokenIds(requests.get(i), false).vector(0)))
                        .isGreaterThan(0.99999);
            }
        }
        // the first four waited for the fifth (the wait is a minute, the submits microseconds): one gather of five
        assertThat(metric(metrics, "onyx_gather_size_count")).isEqualTo(1);
        assertThat(metric(metrics, "onyx_gather_size_sum")).isEqualTo(5);
    }

    @Test
    void aFullGatherRunsAtOnceEvenWhileMoreRequestsAreOnTheirWay() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        try (BatchScheduler scheduler = waiting(metrics, new AtomicInteger(Integer.MAX_VALUE))) {
            Random random = new Random(17);
            List<long[]> ids = new ArrayList<>();
            while (ids.size() < BatchScheduler.MAX_RUN) ids.add(request(random).get(0));
            // a full run for the one worker: it must not wait the minute for company
            assertThat(scheduler
                            .submit(ids, tokens(ids))
                            .get(40, TimeUnit.SECONDS)
                            .vectors())
                    .hasNumberOfRows(BatchScheduler.MAX_RUN);
        }
    }

    @Test
    void closeEndsTheWaitForCompanyAndRunsWhatIsQueued() throws Exception {
        BatchScheduler scheduler = waiting(new ServerMetrics(), new AtomicInteger(Integer.MAX_VALUE));
        List<long[]> ids = List.of(request(new Random(19)).get(0));
        CompletableFuture<BatchScheduler.Outcome> queued = scheduler.submit(ids, tokens(ids));
        scheduler.close(); // returns once the worker ended: the queued request ran instead of waiting out the minute
        assertThat(queued).isDone();
        assertThat(queued.get().vectors()).hasNumberOfRows(1);
        assertThat(scheduler.running()).isFalse();
    }

    @Test
    void aCallThatRunsAloneRunsOnAWorkerFailsAloneAndIsRefusedAfterClose() throws Exception {
        BatchScheduler scheduler = scheduler(2);
        long[] ids = request(new Random(23)).get(0);
        CompletableFuture<String> thread =
                scheduler.submitAlone(1, () -> Thread.currentThread().getName());
        CompletableFuture<Object> failing = scheduler.submitAlone(1, () -> {
            throw new IllegalStateException("this call fails");
        });
        CompletableFuture<float[][]> states = scheduler.submitAlone(1, () -> embedder.tokenEmbeddings(ids));
        List<long[]> request = List.of(ids);
        CompletableFuture<BatchScheduler.Outcome> pooled = scheduler.submit(request, tokens(request));
        scheduler.close(); // drains the calls too

        assertThat(thread.get()).startsWith("onyx-batcher-m-");
        assertThatThrownBy(failing::get).hasCauseInstanceOf(IllegalStateException.class);
        float[][] expected = embedder.tokenEmbeddings(ids);
        assertThat(states.get()).hasNumberOfRows(ids.length);
        for (int t = 0; t < ids.length; t++) {
            assertThat(Similarity.cosine(states.get()[t], expected[t])).isGreaterThan(0.99999);
        }
        assertThat(pooled.get().vectors()).hasNumberOfRows(1);
        assertThatThrownBy(() -> scheduler.submitAlone(1, () -> 1))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void abandonAnswersQueuedCallsWith503() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        BatchScheduler scheduler = scheduler(1);
        CompletableFuture<Boolean> running = scheduler.submitAlone(1, () -> {
            started.countDown();
            try {
                return release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue(); // the one worker is busy with it
        CompletableFuture<Integer> queued = scheduler.submitAlone(1, () -> 1);

        assertThat(scheduler.abandonQueued()).isEqualTo(1);
        release.countDown();
        scheduler.close();

        assertThat(running.get()).isTrue();
        assertThatThrownBy(queued::get)
                .hasCauseInstanceOf(ApiException.class)
                .hasMessageContaining("shut down before this request ran");
    }

    @Test
    void zeroWorkersIsRefusedWithTheAllowedRange() {
        assertThatThrownBy(() -> scheduler(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers must be at least 1, was 0");
    }
}
