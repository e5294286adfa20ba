package dev.onyx.server.internal;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.server.internal.SchedulerWork.Gather;
import dev.onyx.server.internal.SchedulerWork.Job;
import dev.onyx.server.internal.SchedulerWork.Run;
import dev.onyx.server.internal.SchedulerWork.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for one model: gathers the token ids of concurrent requests into model runs bounded by a token
 * budget, and completes each request with its own vectors. Thread-safe; {@code workers} worker threads, which
 * {@link #close()} ends after the queued requests are done and {@link #abandonQueued()} relieves of queued work.
 *
 * <p>The library's shape: a free worker with no planned run left takes everything queued (up to the token budget),
 * sorts it by length and plans padded runs ({@link PaddingPlanner}); the planned runs go to a shared list that every
 * worker takes from, shortest first, so the runs of one gather proceed side by side on all workers (a worker's session
 * has {@code cores / workers} intra-op threads). A free worker waits up to {@code maxWaitMillis} for company before it
 * gathers less than a full gather ({@code workers} full runs): when a single request is queued and every worker is
 * idle, or when more requests are on their way, i.e. the server holds requests ({@code inFlight}, counted at the HTTP
 * edge) that are not in this scheduler yet (being read and tokenized, or answered and being written, whose clients
 * are about to send their next one). Under many small requests this turns gathers of a few inputs into gathers that
 * fill both workers' runs. Each request completes as soon as its own inputs are done, so
 * its client can send the next one while longer runs still go on. A request already answered (its client gave up, or
 * it was abandoned at shutdown) is left out of the runs that have not started.
 *
 * <p>Why one class of over 400 lines: the queue, the planned runs, the lone calls, the busy count and the wait for
 * company are one state machine under one lock; the units of work it moves are in {@link SchedulerWork}.
 */
public final class BatchScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);
    /**
     * Most inputs and padded tokens per planned run: the embedder's default batch (16 texts / 1,024 tokens), so that a
     * run is one model call and the runs of a gather spread over the workers instead of queueing inside one call.
     */
    static final int MAX_RUN = EmbedOptions.defaults().maxBatchSize();

    static final int MAX_RUN_TOKENS = EmbedOptions.defaults().maxBatchTokens();

    private final String model;
    private final Embedder embedder;
    private final ServerMetrics metrics;
    private final int maxBatchTokens;
    private final long maxWaitNanos;
    private final int maxConcurrentInputs;
    private final int maxRun;
    private final int maxRunTokens;
    private final AtomicInteger pendingInputs = new AtomicInteger();
    /** Requests submitted and not yet answered. */
    private final AtomicInteger heldJobs = new AtomicInteger();
    /** Requests the server holds (for any model, in any phase); more than {@link #heldJobs} means more are coming. */
    private final IntSupplier inFlight;
    /** Inputs in a full gather: a full run for every worker. */
    private final int gatherInputs;
    /** What one more model run costs, in padded tokens, fitted from the runs' times: how finely a gather is split. */
    private final RunCostModel runCost;
    /** What a run's cost is timed with (the worker thread's CPU time on a CPU, wall time on an accelerator). */
    private final LongSupplier runClock;

    private final List<Thread> workers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Requests not yet planned into runs; guarded by {@link #lock}. */
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    /** Model calls that run alone ({@link #submitAlone}), in arrival order; guarded by {@link #lock}. */
    private final ArrayDeque<Task<?>> tasks = new ArrayDeque<>();
    /** Planned runs not yet started, shortest first; guarded by {@link #lock}. */
    private final ArrayDeque<Run> runs = new ArrayDeque<>();
    /** Workers running a model call; guarded by {@link #lock}. */
    private int busy;
    /** Inputs and tokens in {@link #queue}; guarded by {@link #lock}. */
    private int queuedInputs;

    private long queuedTokens;
    /** Guarded by {@link #lock}; volatile for {@link #running()}. */
    private volatile boolean closed;

    public BatchScheduler(
            String model,
            Embedder embedder,
            ServerMetrics metrics,
            int maxBatchTokens,
            int maxWaitMillis,
            int workers,
            int maxConcurrentInputs) {
        this(model, embedder, metrics, maxBatchTokens, maxWaitMillis, workers, maxConcurrentInputs, () -> 0);
    }

    /**
     * As the other constructor, also told how many requests the server holds ({@code inFlight}, for any model and in
     * any phase: being read, queued, running or being written), so that a free worker can wait a little for requests
     * on their way instead of running a small gather.
     */
    public BatchScheduler(
            String model,
            Embedder embedder,
            ServerMetrics metrics,
            int maxBatchTokens,
            int maxWaitMillis,
            int workers,
            int maxConcurrentInputs,
            IntSupplier inFlight) {
        this(
                model,
                embedder,
                metrics,
                maxBatchTokens,
                maxWaitMillis,
                workers,
                maxConcurrentInputs,
                MAX_RUN,
                MAX_RUN_TOKENS,
                inFlight);
    }

    /** With other run limits than the embedder's default batch (for A/B probes). */
    BatchScheduler(
            String model,
            Embedder embedder,
            ServerMetrics metrics,
            int maxBatchTokens,
            int maxWaitMillis,
            int workers,
            int maxConcurrentInputs,
            int maxRun,
            int maxRunTokens,
            IntSupplier inFlight) {
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.gatherInputs = Math.max(1, workers) * maxRun;
        this.maxRun = maxRun;
        this.maxRunTokens = maxRunTokens;
        this.runCost = new RunCostModel(1, maxRunTokens);
        this.runClock = RunCostModel.clockFor(embedder.info().device());
        this.model = Objects.requireNonNull(model, "model");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.maxBatchTokens = maxBatchTokens;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.maxConcurrentInputs = maxConcurrentInputs;
        metrics.queueDepth(model, pendingInputs::get);
        metrics.runCost(model, runCost::tokens);
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
     * Queues one request's inputs. Cancelling the returned future (a client that gave up) keeps its inputs out of
     * every run not yet started.
     *
     * @throws ApiException 429 when more than {@code maxConcurrentInputs} inputs would be pending, 503 after close
     */
    public CompletableFuture<Outcome> submit(List<long[]> ids, int tokens) {
        admit(ids.size());
        Job job = new Job(ids, tokens, System.nanoTime(), new CompletableFuture<>());
        // whoever completes the job (a worker, an abandon, a cancelling client) releases its inputs exactly once
        job.result().whenComplete((outcome, failure) -> {
            pendingInputs.addAndGet(-ids.size());
            heldJobs.decrementAndGet();
        });
        heldJobs.incrementAndGet();
        lock.lock();
        try {
            if (closed) {
                job.result().completeExceptionally(shuttingDown());
                throw shuttingDown();
            }
            queue.add(job);
            queuedInputs += ids.size();
            queuedTokens += tokens;
            changed.signal();
        } finally {
            lock.unlock();
        }
        return job.result();
    }

    /** Recounts the queue's inputs and tokens after requests left it; with {@link #lock} held. */
    private void recount() {
        queuedInputs = 0;
        queuedTokens = 0;
        for (Job job : queue) {
            queuedInputs += job.ids().size();
            queuedTokens += job.tokens();
        }
    }

    /** Counts {@code inputs} more as pending; 429 when that would pass the limit. */
    private void admit(int inputs) {
        int pending = pendingInputs.addAndGet(inputs);
        if (pending > maxConcurrentInputs) {
            pendingInputs.addAndGet(-inputs);
            throw new ApiException(
                    ErrorKind.OVERLOADED,
                    null,
                    "model " + model + " has " + (pending - inputs) + " inputs pending; " + inputs
                            + " more would pass the limit of " + maxConcurrentInputs
                            + " (--max-concurrent-inputs); retry later");
        }
    }

    /**
     * Queues a model call that does not batch with others (TEI's {@code /embed_all}: every token's hidden state): a
     * worker runs it between runs, so it shares the workers' cores instead of competing with them from an HTTP
     * thread, counts against {@code maxConcurrentInputs}, and is drained or abandoned at shutdown like a request.
     *
     * @param inputs how many inputs the call covers (for the pending-input limit)
     * @throws ApiException 429 when more than {@code maxConcurrentInputs} inputs would be pending, 503 after close
     */
    public <T> CompletableFuture<T> submitAlone(int inputs, Supplier<T> call) {
        admit(inputs);
        Task<T> task = new Task<>(Objects.requireNonNull(call, "call"), new CompletableFuture<>());
        task.result().whenComplete((value, failure) -> pendingInputs.addAndGet(-inputs));
        lock.lock();
        try {
            if (closed) {
                task.result().completeExceptionally(shuttingDown());
                throw shuttingDown();
            }
            tasks.add(task);
            changed.signal();
        } finally {
            lock.unlock();
        }
        return task.result();
    }

    private static ApiException shuttingDown() {
        return new ApiException(ErrorKind.UNAVAILABLE, null, "the server is shutting down");
    }

    private void loop() {
        try {
            for (Object work = next(); work != null; work = next()) {
                try {
                    if (work instanceof Run run) {
                        execute(run);
                    } else {
                        ((Task<?>) work).run();
                    }
                } finally {
                    lock.lock();
                    try {
                        busy--;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next {@link Run} or {@link Task} to execute (planning a gather when no run is left), or null once closed and
     * drained.
     */
    private Object next() throws InterruptedException {
        lock.lock();
        try {
            long waitUntil = 0;
            while (true) {
                Object run = tasks.isEmpty() ? runs.poll() : tasks.poll();
                if (run != null) {
                    busy++;
                    return run;
                }
                if (!queue.isEmpty()) {
                    boolean wait = !closed && maxWaitNanos > 0 && !fullGather() && (alone() || arriving());
                    if (wait && waitUntil == 0) waitUntil = System.nanoTime() + maxWaitNanos;
                    long left = waitUntil - System.nanoTime();
                    if (wait && left > 0) {
                        changed.awaitNanos(left); // a little company is worth a moment: fewer, fuller runs
                    } else {
                        plan();
                        waitUntil = 0;
                    }
                    continue;
                }
                if (closed) {
                    return null;
                }
                waitUntil = 0;
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the queue holds a full gather (a full run per worker) or the token budget; with {@link #lock} held. */
    private boolean fullGather() {
        return queuedInputs >= gatherInputs || queuedTokens >= maxBatchTokens;
    }

    /** A single request queued on an idle scheduler; with {@link #lock} held. */
    private boolean alone() {
        return queue.size() == 1 && busy == 0;
    }

    /** Whether the server holds requests that are not in this scheduler: more are on their way. */
    private boolean arriving() {
        return inFlight.getAsInt() > heldJobs.get();
    }

    /** Takes queued requests up to the token budget and plans their runs; called with {@link #lock} held. */
    private void plan() {
        List<Job> jobs = new ArrayList<>();
        long tokens = 0;
        while (!queue.isEmpty()) {
            Job next = queue.peek();
            if (next.result().isDone()) { // cancelled by its client: nothing to run
                queue.poll();
                continue;
            }
            if (!jobs.isEmpty() && tokens + next.tokens() > maxBatchTokens) {
                break;
            }
            jobs.add(queue.poll());
            tokens += next.tokens();
        }
        recount();
        if (jobs.isEmpty()) {
            return;
        }
        Gather gather = new Gather(jobs, System.nanoTime());
        metrics.gather(model, gather.inputs.size());
        for (int[] group :
                PaddingPlanner.plan(gather.lengths(), maxRun, maxRunTokens, (int) Math.round(runCost.tokens()))) {
            runs.add(new Run(gather, group));
        }
        changed.signalAll(); // the other workers take the remaining runs of this gather
    }

    /**
     * Runs one padded group. The inputs of requests answered meanwhile are left out; a failed run retries each of its
     * requests alone, so one bad request fails alone.
     */
    private void execute(Run run) {
        Gather g = run.gather();
        int[] group = Arrays.stream(run.group())
                .filter(i -> !g.jobs.get(g.owner[i]).result().isDone())
                .toArray();
        if (group.length == 0) {
            return;
        }
        List<long[]> ids = new ArrayList<>(group.length);
        long tokens = 0;
        int longest = 0;
        for (int i : group) {
            ids.add(g.inputs.get(i));
            tokens += g.inputs.get(i).length;
            longest = Math.max(longest, g.inputs.get(i).length);
        }
        Embeddings embeddings;
        try {
            long start = runClock.getAsLong();
            embeddings = embedder.embedTokenIds(ids, false);
            runCost.observe((long) group.length * longest, runClock.getAsLong() - start);
        } catch (RuntimeException e) {
            Set<Job> involved = new LinkedHashSet<>();
            for (int i : group) involved.add(g.jobs.get(g.owner[i]));
            if (involved.size() == 1) {
                fail(involved.iterator().next(), e);
            } else {
                involved.forEach(job -> alone(job, g.plannedNanos));
            }
            return;
        }
        metrics.batch(model, group.length, tokens, (long) group.length * longest);
        for (int k = 0; k < group.length; k++) {
            int i = group[k];
            int j = g.owner[i];
            g.vectors[j][i - g.offset[j]] = embeddings.vector(k);
            // the decrement orders this worker's writes before the read of whichever worker completes the job
            if (g.left[j].decrementAndGet() == 0) {
                Job job = g.jobs.get(j);
                long now = System.nanoTime();
                job.result()
                        .complete(
                                new Outcome(g.vectors[j], g.plannedNanos - job.enqueuedNanos(), now - g.plannedNanos));
            }
        }
    }

    /** Runs one request on its own after a shared run failed: it gets its vectors, or the failure is its own. */
    private void alone(Job job, long plannedNanos) {
        if (job.result().isDone()) {
            return;
        }
        try {
            float[][] vectors = embedder.embedTokenIds(job.ids(), false).toArray();
            job.result()
                    .complete(
                            new Outcome(vectors, plannedNanos - job.enqueuedNanos(), System.nanoTime() - plannedNanos));
        } catch (RuntimeException e) {
            fail(job, e);
        }
    }

    private void fail(Job job, RuntimeException failure) {
        LOG.warn("model call for {} failed: {}", model, failure.toString());
        job.result().completeExceptionally(failure);
    }

    /**
     * Answers every request not yet running with 503 (the server's drain deadline passed): queued requests and the
     * not-yet-started runs' requests. Runs already executing finish; the workers then find nothing left.
     *
     * @return how many requests were abandoned
     */
    public int abandonQueued() {
        List<Job> abandoned = new ArrayList<>();
        List<Task<?>> abandonedTasks = new ArrayList<>();
        lock.lock();
        try {
            abandoned.addAll(queue);
            queue.clear();
            recount();
            for (Run run : runs) {
                for (int i : run.group()) abandoned.add(run.gather().jobs.get(run.gather().owner[i]));
            }
            runs.clear();
            abandonedTasks.addAll(tasks);
            tasks.clear();
        } finally {
            lock.unlock();
        }
        int count = 0;
        for (Task<?> task : abandonedTasks) {
            if (task.result().completeExceptionally(abandoned())) {
                count++;
            }
        }
        for (Job job : abandoned) {
            if (job.result().completeExceptionally(abandoned())) {
                count++;
            }
        }
        return count;
    }

    private static ApiException abandoned() {
        return new ApiException(
                ErrorKind.UNAVAILABLE, null, "the server shut down before this request ran; retry later");
    }

    /** Whether the workers run and take requests. */
    public boolean running() {
        return !closed && workers.stream().allMatch(Thread::isAlive);
    }

    /**
     * Stops taking requests, finishes the queued ones (all of them unless {@link #abandonQueued()} is called), and
     * returns once every worker has ended, so no model run is in progress afterwards; idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            for (Thread worker : workers) worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonQueued(); // the caller stops waiting: nothing further starts, the running calls still finish
        }
    }
}
