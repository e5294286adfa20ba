package dev.onyx.onnx;

import java.util.Objects;

/** A named value in a graph under construction (input, initializer or node output); immutable and thread-safe. */
public record ValueRef(String name) {
    public ValueRef {
        Objects.requireNonNull(name, "name");
    }
}
