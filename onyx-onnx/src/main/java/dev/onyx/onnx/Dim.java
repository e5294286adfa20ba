package dev.onyx.onnx;

import java.util.Objects;

/** One dimension of a graph input or output shape: fixed or symbolic; immutable and thread-safe. */
public sealed interface Dim {

    /** A dimension with a known size. */
    record Fixed(long size) implements Dim {
        public Fixed {
            if (size < 0) {
                throw new OnnxBuildException("dimension size must be >= 0, got " + size);
            }
        }

        @Override
        public String toString() {
            return Long.toString(size);
        }
    }

    /** A dimension whose size is chosen at run time and named, e.g. {@code "batch"}. */
    record Symbolic(String name) implements Dim {
        public Symbolic {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new OnnxBuildException("symbolic dimension name must not be blank");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Dim of(long size) {
        return new Fixed(size);
    }

    static Dim of(String name) {
        return new Symbolic(name);
    }
}
