package dev.onyx.server.internal;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for one model: gathers the token ids of concurrent requests into one model call, bounded by a token
 * budget, and completes each request with its own slice. Thread-safe; one worker thread, which {@link #close()} ends
 * after the queued requests are done.
 *
 * <p>The worker takes the oldest request; when nothing else is queued it waits at most {@code maxWaitMillis} for more,
 * then takes queued requests while they fit the budget (a request larger than the budget runs alone). The embedder
 * sorts the gathered inputs by length and splits them into padded batches itself. While a batch runs, new requests
 * queue up, so under load batches grow without any waiting.
 */
public final class BatchScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);
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
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pendingInputs = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread worker;
    private Job carried; // taken from the queue but left for the next batch; worker thread only

    public BatchScheduler(
            String model,
            Embedder embedder,
            ServerMetrics metrics,
            int maxBatchTokens,
            int maxWaitMillis,
            int maxConcurrentInputs) {
        this.model = Objects.requireNonNull(model, "model");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.maxBatchTokens = maxBatchTokens;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.maxConcurrentInputs = maxConcurrentInputs;
        metrics.queueDepth(model, pendingInputs::get);
        this.worker = new Thread(this::loop, "onyx-batcher-" + model);
        worker.setDaemon(true);
        worker.start();
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
        if (closed.get() && !worker.isAlive() && queue.remove(job)) {
            pendingInputs.addAndGet(-ids.size());
            throw new ApiException(ErrorKind.UNAVAILABLE, null, "the server is shutting down");
        }
        return job.result;
    }

    private void loop() {
        while (!closed.get() || carried != null || !queue.isEmpty()) {
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
        Job first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
        carried = null;
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
                carried = next;
                break;
            }
            batch.add(next);
            tokens += next.tokens;
        }
        return batch;
    }

    private void run(List<Job> batch) {
        List<long[]> all = new ArrayList<>();
        long tokens = 0;
        for (Job job : batch) {
            all.addAll(job.ids);
            tokens += job.tokens;
        }
        long start = System.nanoTime();
        try {
            float[][] vectors = embed(all);
            long inference = System.nanoTime() - start;
            metrics.batch(model, all.size(), tokens);
            int offset = 0;
            for (Job job : batch) {
                float[][] own = Arrays.copyOfRange(vectors, offset, offset + job.ids.size());
                offset += own.length;
                complete(job, new Outcome(own, start - job.enqueuedNanos, inference));
            }
        } catch (RuntimeException e) {
            isolate(batch, e);
        }
    }

    /** Raw pooled vectors in input order, one model run per length group (see {@link PaddingPlanner}). */
    private float[][] embed(List<long[]> all) {
        int[] lengths = new int[all.size()];
        for (int i = 0; i < lengths.length; i++) lengths[i] = all.get(i).length;
        float[][] out = new float[all.size()][];
        for (int[] group : PaddingPlanner.plan(lengths, MAX_RUN, RUN_COST_TOKENS)) {
            List<long[]> ids = new ArrayList<>(group.length);
            for (int i : group) ids.add(all.get(i));
            Embeddings embeddings = embedder.embedTokenIds(ids, false);
            for (int k = 0; k < group.length; k++) out[group[k]] = embeddings.vector(k);
        }
        return out;
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
        if (carried != null) left.add(carried);
        queue.drainTo(left);
        for (Job job : left) {
            pendingInputs.addAndGet(-job.ids.size());
            job.result.completeExceptionally(
                    new ApiException(ErrorKind.UNAVAILABLE, null, "the server stopped before this request ran"));
        }
    }

    /** Whether the worker runs and takes requests. */
    public boolean running() {
        return !closed.get() && worker.isAlive();
    }

    /** Stops taking requests, finishes the queued ones, and ends the worker; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                worker.join();
                failRemaining();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                worker.interrupt();
            }
        }
    }

    private record Job(List<long[]> ids, int tokens, long enqueuedNanos, CompletableFuture<Outcome> result) {}
}
