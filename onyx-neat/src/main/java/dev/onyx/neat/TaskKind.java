package dev.onyx.neat;

import dev.onyx.neat.internal.Labels;

/** The built-in tasks; immutable. */
public enum TaskKind {
    /** {@link XorTask}. */
    XOR,
    /** {@link CartPoleTask}. */
    CARTPOLE;

    /** The lower-case name used on the command line and in JSON, e.g. {@code "cartpole"}. */
    public String label() {
        return Labels.of(this);
    }

    /** Parses {@link #label()}; the error lists the allowed values. */
    public static TaskKind parse(String value) {
        return Labels.parse(TaskKind.class, value, "task");
    }
}
