package dev.onyx.neat;

/**
 * Time an {@link Evaluator} has spent so far, split by phase; an immutable record, safe to share.
 *
 * @param networks genomes compiled into networks
 * @param batches {@link Network#activate} calls
 * @param exportNanos turning genomes into ONNX bytes (0 for the native evaluator)
 * @param setupNanos making and releasing networks: ONNX Runtime session creation and close, or the native evaluation
 *     plan
 * @param runNanos running batches
 */
public record EvaluationCost(long networks, long batches, long exportNanos, long setupNanos, long runNanos) {
    /** The sum of all phases. */
    public long totalNanos() {
        return exportNanos + setupNanos + runNanos;
    }

    /** The cost accrued since {@code earlier}. */
    public EvaluationCost minus(EvaluationCost earlier) {
        return new EvaluationCost(
                networks - earlier.networks,
                batches - earlier.batches,
                exportNanos - earlier.exportNanos,
                setupNanos - earlier.setupNanos,
                runNanos - earlier.runNanos);
    }
}
