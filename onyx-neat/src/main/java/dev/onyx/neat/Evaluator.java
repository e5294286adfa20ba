package dev.onyx.neat;

import dev.onyx.onnx.NeatGenome;
import java.util.Objects;

/**
 * Turns genomes into runnable {@link Network}s, natively or through ONNX Runtime; implementations are thread-safe,
 * and whoever creates an evaluator closes it (closing is idempotent).
 */
public sealed interface Evaluator extends AutoCloseable permits NativeEvaluator, OnnxEvaluator {
    /** An evaluator of the given kind with its default settings. */
    static Evaluator create(EvaluatorKind kind) {
        return switch (Objects.requireNonNull(kind, "kind")) {
            case NATIVE -> NativeEvaluator.create();
            case ONNX -> OnnxEvaluator.create();
        };
    }

    EvaluatorKind kind();

    /**
     * Prepares {@code genome} for running; the caller closes the network.
     *
     * @throws dev.onyx.onnx.OnnxBuildException if the genome is recurrent
     */
    Network compile(NeatGenome genome);

    /** Time spent so far by this evaluator and its networks. */
    EvaluationCost cost();

    @Override
    void close();
}
