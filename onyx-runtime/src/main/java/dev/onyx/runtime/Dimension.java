package dev.onyx.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * One dimension of a tensor shape: a fixed size or a symbolic (dynamic) one; an immutable record.
 *
 * @param size the size, or -1 when dynamic
 * @param symbol the symbolic name of a dynamic dimension ({@code "batch"}), empty when fixed or unnamed
 */
public record Dimension(long size, Optional<String> symbol) {
    public Dimension {
        Objects.requireNonNull(symbol, "symbol");
        if (size < -1) {
            throw new OnyxException("dimension size must be >= 0, or -1 for dynamic, was " + size);
        }
    }

    public static Dimension fixed(long size) {
        return new Dimension(size, Optional.empty());
    }

    public static Dimension dynamic(String symbol) {
        return new Dimension(-1, symbol == null || symbol.isEmpty() ? Optional.empty() : Optional.of(symbol));
    }

    public boolean isDynamic() {
        return size < 0;
    }

    @Override
    public String toString() {
        return isDynamic() ? symbol.orElse("?") : Long.toString(size);
    }
}
