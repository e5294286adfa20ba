package dev.onyx.runtime;

/** ONNX Runtime graph optimization level; an enum, so immutable and thread-safe. */
public enum OptimizationLevel {
    /** No graph rewrites: the arithmetic follows the ONNX graph as written. */
    NONE,
    /** Constant folding and redundant-node elimination only. */
    BASIC,
    /** BASIC plus operator fusions for the CPU provider. */
    EXTENDED,
    /** Everything, including layout optimizations: the fastest, and ONNX Runtime's own default. */
    ALL
}
