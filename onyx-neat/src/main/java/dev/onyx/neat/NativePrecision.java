package dev.onyx.neat;

import dev.onyx.neat.internal.Labels;

/** The arithmetic of the {@link NativeEvaluator}; immutable. */
public enum NativePrecision {
    /**
     * float32 arithmetic laid out as ONNX Runtime runs the exported graph: weights folded and rounded as the exporter
     * does, fused multiply-adds in the graph's column order, and MLAS's rational approximation of the logistic. On CPUs
     * where ONNX Runtime uses its FMA kernels (x86-64 with AVX2 or AVX-512, ARM64) sigmoid networks give bit-identical
     * outputs; other activations are computed in double and rounded, within a few float ulps of ONNX Runtime.
     */
    FLOAT32,
    /** onyx-onnx's {@code NeatEvaluator}: neat-python's formulas in double precision, outputs rounded to float. */
    DOUBLE;

    /** The lower-case name, e.g. {@code "float32"}. */
    public String label() {
        return Labels.of(this);
    }

    /** Parses {@link #label()}; the error lists the allowed values. */
    public static NativePrecision parse(String value) {
        return Labels.parse(NativePrecision.class, value, "native precision");
    }
}
