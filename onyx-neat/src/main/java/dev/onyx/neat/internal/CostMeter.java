package dev.onyx.neat.internal;

import dev.onyx.neat.EvaluationCost;
import java.util.concurrent.atomic.LongAdder;

/** Counts an evaluator's work by phase; thread-safe. */
public final class CostMeter {
    private final LongAdder networks = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder exportNanos = new LongAdder();
    private final LongAdder setupNanos = new LongAdder();
    private final LongAdder runNanos = new LongAdder();

    public void network() {
        networks.increment();
    }

    public void export(long startNanos) {
        exportNanos.add(System.nanoTime() - startNanos);
    }

    public void setup(long startNanos) {
        setupNanos.add(System.nanoTime() - startNanos);
    }

    public void run(long startNanos) {
        batches.increment();
        runNanos.add(System.nanoTime() - startNanos);
    }

    public EvaluationCost snapshot() {
        return new EvaluationCost(networks.sum(), batches.sum(), exportNanos.sum(), setupNanos.sum(), runNanos.sum());
    }
}
