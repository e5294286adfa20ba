package dev.onyx.server.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The units of work inside a {@link BatchScheduler}: queued requests, gathers, planned runs and lone calls. */
final class SchedulerWork {
    private SchedulerWork() {}

    /** A model call that runs alone; {@link #run()} completes its result with the value or the failure. */
    record Task<T>(Supplier<T> call, CompletableFuture<T> result) {
        void run() {
            if (result.isDone()) {
                return; // its client gave up
            }
            try {
                result.complete(call.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    record Job(List<long[]> ids, int tokens, long enqueuedNanos, CompletableFuture<BatchScheduler.Outcome> result) {}

    /** Requests planned together: their inputs in one list, and per request where its inputs are and how many remain. */
    static final class Gather {
        final List<Job> jobs;
        final long plannedNanos;
        final List<long[]> inputs = new ArrayList<>();
        final int[] owner; // input → its job
        final int[] offset; // job → its first input
        final AtomicInteger[] left; // job → inputs not yet embedded
        final float[][][] vectors; // job → its vectors, filled by whichever worker runs each input

        Gather(List<Job> jobs, long plannedNanos) {
            this.jobs = jobs;
            this.plannedNanos = plannedNanos;
            this.owner = new int[jobs.stream().mapToInt(job -> job.ids().size()).sum()];
            this.offset = new int[jobs.size()];
            this.left = new AtomicInteger[jobs.size()];
            this.vectors = new float[jobs.size()][][];
            for (int j = 0; j < jobs.size(); j++) {
                Job job = jobs.get(j);
                offset[j] = inputs.size();
                Arrays.fill(owner, inputs.size(), inputs.size() + job.ids().size(), j);
                inputs.addAll(job.ids());
                left[j] = new AtomicInteger(job.ids().size());
                vectors[j] = new float[job.ids().size()][];
            }
        }

        int[] lengths() {
            int[] lengths = new int[inputs.size()];
            for (int i = 0; i < lengths.length; i++) lengths[i] = inputs.get(i).length;
            return lengths;
        }
    }

    record Run(Gather gather, int[] group) {}
}
