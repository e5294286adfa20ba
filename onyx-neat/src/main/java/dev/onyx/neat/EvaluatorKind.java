package dev.onyx.neat;

import dev.onyx.neat.internal.Labels;

/** Which {@link Evaluator} runs the networks; immutable. */
public enum EvaluatorKind {
    /** {@link NativeEvaluator}: the plain-Java {@code NeatEvaluator} of onyx-onnx. */
    NATIVE,
    /** {@link OnnxEvaluator}: each genome exported to ONNX and run in ONNX Runtime. */
    ONNX;

    /** The lower-case name used on the command line and in JSON, e.g. {@code "native"}. */
    public String label() {
        return Labels.of(this);
    }

    /** Parses {@link #label()}; the error lists the allowed values. */
    public static EvaluatorKind parse(String value) {
        return Labels.parse(EvaluatorKind.class, value, "evaluator");
    }
}
