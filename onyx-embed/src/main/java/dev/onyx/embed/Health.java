package dev.onyx.embed;

import java.util.Objects;

/**
 * Result of a health probe: a real embedding of a probe text, checked for shape and norm; an immutable record.
 *
 * @param healthy whether the probe embedding had the right dimension and a finite, expected norm
 * @param detail what was checked or what went wrong
 * @param latencyMillis how long the probe took
 */
public record Health(boolean healthy, String detail, long latencyMillis) {
    public Health {
        Objects.requireNonNull(detail, "detail");
    }
}
