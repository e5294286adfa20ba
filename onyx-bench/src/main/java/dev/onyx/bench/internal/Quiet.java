package dev.onyx.bench.internal;

import java.io.PrintStream;

/**
 * Lets a measurement start on a quiet machine: waits (up to a configured time) for other processes to calm down. When
 * the machine never gets quiet within the wait, the measurement runs anyway and the noise is reported with it (each
 * measurement samples what other processes took while it ran). Not thread-safe; one benchmark thread uses it.
 */
public final class Quiet {
    /** Other processes may use at most this many cores for the machine to count as quiet. */
    public static final double QUIET_CORES = 0.1;

    private final PrintStream log;
    private final long maxWaitMillis;

    /** Waits up to {@code maxWaitSeconds} for quiet; 0 measures at once. */
    public Quiet(PrintStream log, int maxWaitSeconds) {
        this.log = log;
        this.maxWaitMillis = maxWaitSeconds * 1000L;
    }

    /** The time one run of the work took, how busy other processes kept the machine meanwhile, and its result. */
    public record Timed<T>(double seconds, double otherCores, T result) {}

    /** Waits (up to the configured time) until other processes use at most {@link #QUIET_CORES}; returns whether they did. */
    public boolean settle() {
        return maxWaitMillis > 0 && CpuMonitor.waitForQuiet(QUIET_CORES, maxWaitMillis, log) <= QUIET_CORES;
    }
}
