package dev.onyx.bench.internal;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Times a piece of work on a quiet machine: waits for other processes to calm down first, and repeats the work (up to
 * three times) when they took more than {@link #NOISY_CORES} cores while it ran, keeping the quietest attempt. When the
 * machine never gets quiet within the wait, the work is measured once and the noise is reported with it. Not
 * thread-safe; one benchmark thread uses it.
 */
public final class Quiet {
    /** Other processes using more than this many cores during a measurement make it noisy. */
    public static final double NOISY_CORES = 0.2;

    private static final double QUIET_CORES = 0.1;
    private static final int ATTEMPTS = 3;

    private final PrintStream log;
    private final long maxWaitMillis;

    /** A timer that waits up to {@code maxWaitSeconds} for quiet; 0 measures at once and never repeats. */
    public Quiet(PrintStream log, int maxWaitSeconds) {
        this.log = log;
        this.maxWaitMillis = maxWaitSeconds * 1000L;
    }

    /** The time one run of the work took and how busy other processes kept the machine meanwhile. */
    public record Timed(double seconds, double otherCores) {}

    /**
     * Waits (up to the configured time) until other processes use at most a tenth of a core; returns whether they
     * did.
     */
    public boolean settle() {
        return maxWaitMillis > 0 && CpuMonitor.waitForQuiet(QUIET_CORES, maxWaitMillis, log) <= QUIET_CORES;
    }

    public Timed time(String what, Supplier<?> work) {
        Timed best = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            boolean quiet = settle();
            CpuMonitor.Sample before = CpuMonitor.sample();
            work.get();
            CpuMonitor.Sample after = CpuMonitor.sample();
            Timed timed = new Timed((after.nanos() - before.nanos()) / 1e9, CpuMonitor.othersCores(before, after));
            if (best == null || timed.otherCores() < best.otherCores()) {
                best = timed;
            }
            if (timed.otherCores() <= NOISY_CORES || !quiet) { // never quiet: repeating would not help
                break;
            }
            log.printf("%s: other processes took %.2f cores; measuring again%n", what, timed.otherCores());
        }
        return best;
    }
}
