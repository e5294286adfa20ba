package dev.onyx.onnx.internal;

import dev.onyx.onnx.OnnxGraphBuilder;
import dev.onyx.onnx.ValueRef;
import java.util.HashMap;
import java.util.Map;

/** Adds each scalar float constant to a graph once and reuses it; not thread-safe, one per builder. */
public final class ScalarConstants {
    private final OnnxGraphBuilder graph;
    private final Map<Float, ValueRef> cache = new HashMap<>();

    public ScalarConstants(OnnxGraphBuilder graph) {
        this.graph = graph;
    }

    public ValueRef of(double value) {
        float f = (float) value;
        return cache.computeIfAbsent(f, v -> graph.initializer("const_" + cache.size(), new float[] {v}));
    }
}
