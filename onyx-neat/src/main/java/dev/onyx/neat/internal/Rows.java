package dev.onyx.neat.internal;

import dev.onyx.neat.NeatException;

/** Checks of row-major batches; stateless and thread-safe. */
public final class Rows {
    private Rows() {}

    /** The number of rows in {@code values}, which must be a whole number of rows of {@code width}. */
    public static int count(float[] values, int width) {
        if (values.length % width != 0) {
            throw new NeatException(
                    "a batch must hold whole rows of " + width + " inputs, got " + values.length + " values");
        }
        return values.length / width;
    }
}
