package dev.onyx.server.internal;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler before the shared run list (kept only for the A/B in SchedulerProbe). Dynamic batching for one model: gathers the token ids of concurrent requests into model runs bounded by a token
 * budget, and completes each request with its own vectors. Thread-safe; {@code workers} worker threads, which
 * {@link #close()} ends after the queued requests are done.
 *
 * <p>A worker takes the oldest request; when nothing else is queued it waits at most {@code maxWaitMillis} for more,
 * then takes queued requests while they fit the budget (a request larger than the budget runs alone; one that does
 * not fit goes back to the head of the queue). The gathered inputs are sorted by length and split into padded runs
 * ({@link PaddingPlanner}); each request completes as soon as its own inputs are done. While runs proceed, new requests
 * queue up, so under load batches grow without any waiting. Several workers run their batches at the same time.
 */
final class OldBatchScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OldBatchScheduler.class);
    /** Most inputs per model run: the embedder's default batch size. */
    private static final int MAX_RUN = 64;
    /** What one extra model run costs, in padded tokens: a run's fixed overhead on a CPU (measured order). */
    private static final int RUN_COST_TOKENS = 32;

    private final String model;
    private final Embedder embedder;
    private final ServerMetrics metrics;
    private final int maxBatchTokens;
    private final long maxWaitNanos;
    private final int maxConcurrentInputs;
    private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger pendingInputs = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();

    OldBatchScheduler(
            String model,
            Embedder embedder,
            ServerMetrics metrics,
            int maxBatchTokens,
            int maxWaitMillis,
            int workers,
            int maxConcurrentInputs) {
        this.model = Objects.requireNonNull(model, "model");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.maxBatchTokens = maxBatchTokens;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.maxConcurrentInputs = maxConcurrentInputs;
        metrics.queueDepth(model, pendingInputs::get);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        // started last: a worker may read every field set above
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::loop, "onyx-batcher-" + model + "-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
            worker.start();
        }
    }

    /** What a request gets back: its raw (unnormalized) pooled vectors and where its time went. */
    public record Outcome(float[][] vectors, long queueNanos, long inferenceNanos) {}

    /**
     * Queues one request's inputs.
     *
     * @throws ApiException 429 when more than {@code maxConcurrentInputs} inputs would be pending, 503 after close
     */
    public CompletableFuture<Outcome> submit(List<long[]> ids, int tokens) {
        if (closed.get()) {
            throw new ApiException(ErrorKind.UNAVAILABLE, null, "the server is shutting down");
        }
        int pending = pendingInputs.addAndGet(ids.size());
        if (pending > maxConcurrentInputs) {
            pendingInputs.addAndGet(-ids.size());
            throw new ApiException(
                    ErrorKind.OVERLOADED,
                    null,
                    "model " + model + " has " + (pending - ids.size()) + " inputs pending; " + ids.size()
                            + " more would pass the limit of " + maxConcurrentInputs
                            + " (--max-concurrent-inputs); retry later");
        }
        Job job = new Job(ids, tokens, System.nanoTime(), new CompletableFuture<>());
        queue.add(job);
        if (closed.get() && workers.stream().noneMatch(Thread::isAlive) && queue.remove(job)) {
            pendingInputs.addAndGet(-ids.size());
            throw new ApiException(ErrorKind.UNAVAILABLE, null, "the server is shutting down");
        }
        return job.result;
    }

    private void loop() {
        while (!closed.get() || !queue.isEmpty()) {
            try {
                List<Job> batch = gather();
                if (!batch.isEmpty()) {
                    run(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failRemaining();
    }

    private List<Job> gather() throws InterruptedException {
        Job first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        long tokens = first.tokens;
        long deadline = System.nanoTime() + maxWaitNanos;
        while (tokens < maxBatchTokens) {
            Job next = queue.poll();
            if (next == null && queue.isEmpty() && batch.size() == 1) {
                long left = deadline - System.nanoTime();
                next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            }
            if (next == null) {
                break;
            }
            if (tokens + next.tokens > maxBatchTokens) {
                queue.offerFirst(next); // the oldest waiting request: first in the next gather
                break;
            }
            batch.add(next);
            tokens += next.tokens;
        }
        return batch;
    }

    /**
     * Runs the gathered requests, one model run per length group (see {@link PaddingPlanner}), shortest group first.
     * A request completes as soon as the runs holding its inputs are done, not when the whole gather is: its client
     * can send its next request while the longer groups still run, so the next gather has more to choose from.
     */
    private void run(List<Job> batch) {
        List<long[]> all = new ArrayList<>();
        int[] owner = new int[batch.stream().mapToInt(job -> job.ids.size()).sum()]; // input → its job
        int[] offset = new int[batch.size()]; // job → its first input
        int[] left = new int[batch.size()]; // job → inputs not yet embedded
        float[][][] vectors = new float[batch.size()][][];
        long tokens = 0;
        for (int j = 0; j < batch.size(); j++) {
            Job job = batch.get(j);
            offset[j] = all.size();
            Arrays.fill(owner, all.size(), all.size() + job.ids.size(), j);
            all.addAll(job.ids);
            tokens += job.tokens;
            left[j] = job.ids.size();
            vectors[j] = new float[job.ids.size()][];
        }
        int[] lengths = new int[all.size()];
        for (int i = 0; i < lengths.length; i++) lengths[i] = all.get(i).length;
        long start = System.nanoTime();
        try {
            for (int[] group : PaddingPlanner.plan(lengths, MAX_RUN, RUN_COST_TOKENS)) {
                List<long[]> ids = new ArrayList<>(group.length);
                for (int i : group) ids.add(all.get(i));
                Embeddings embeddings = embedder.embedTokenIds(ids, false);
                long inference = System.nanoTime() - start;
                for (int k = 0; k < group.length; k++) {
                    int j = owner[group[k]];
                    vectors[j][group[k] - offset[j]] = embeddings.vector(k);
                    if (--left[j] == 0) {
                        Job job = batch.get(j);
                        complete(job, new Outcome(vectors[j], start - job.enqueuedNanos, inference));
                    }
                }
            }
            metrics.batch(model, all.size(), tokens, tokens); // the old scheduler's probe baseline: padding not tracked
        } catch (RuntimeException e) {
            List<Job> unfinished = new ArrayList<>();
            for (int j = 0; j < batch.size(); j++) {
                if (left[j] > 0) unfinished.add(batch.get(j));
            }
            isolate(unfinished, e);
        }
    }

    /** A failed batch of several requests is retried one request at a time, so one bad request fails alone. */
    private void isolate(List<Job> batch, RuntimeException failure) {
        if (batch.size() == 1) {
            LOG.warn("model call for {} failed: {}", model, failure.toString());
            pendingInputs.addAndGet(-batch.get(0).ids.size());
            batch.get(0).result.completeExceptionally(failure);
            return;
        }
        for (Job job : batch) {
            run(List.of(job));
        }
    }

    private void complete(Job job, Outcome outcome) {
        pendingInputs.addAndGet(-job.ids.size());
        job.result.complete(outcome);
    }

    private void failRemaining() {
        List<Job> left = new ArrayList<>();
        queue.drainTo(left);
        for (Job job : left) {
            pendingInputs.addAndGet(-job.ids.size());
            job.result.completeExceptionally(
                    new ApiException(ErrorKind.UNAVAILABLE, null, "the server stopped before this request ran"));
        }
    }

    /** Whether the worker runs and takes requests. */
    public boolean running() {
        return !closed.get() && workers.stream().allMatch(Thread::isAlive);
    }

    /** Stops taking requests, finishes the queued ones, and ends the worker; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                for (Thread worker : workers) worker.join();
                failRemaining();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.forEach(Thread::interrupt);
            }
        }
    }

    private record Job(List<long[]> ids, int tokens, long enqueuedNanos, CompletableFuture<Outcome> result) {}
}
