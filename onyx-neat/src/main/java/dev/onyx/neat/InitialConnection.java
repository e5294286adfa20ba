package dev.onyx.neat;

import dev.onyx.neat.internal.Labels;

/** How genomes of the first generation are wired (neat-python's {@code initial_connection}); immutable. */
public enum InitialConnection {
    /** Every input connected to every output. */
    FULL_DIRECT,
    /** Each output connected to one randomly chosen input ({@code fs_neat_nohidden}). */
    FS_NEAT,
    /** No connections at all. */
    UNCONNECTED;

    /** The lower-case name used on the command line and in JSON, e.g. {@code "full_direct"}. */
    public String label() {
        return Labels.of(this);
    }

    /** Parses {@link #label()}; the error lists the allowed values. */
    public static InitialConnection parse(String value) {
        return Labels.parse(InitialConnection.class, value, "initial connection");
    }
}
