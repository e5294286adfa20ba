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

    /** The time one run of the work took, how busy other processes kept the machine meanwhile, and its result. */
    public record Timed<T>(double seconds, double otherCores, T result) {}

    /**
     * Waits (up to the configured time) until other processes use at most a tenth of a core; returns whether they
     * did.
     */
    public boolean settle() {
        return maxWaitMillis > 0 && CpuMonitor.waitForQuiet(QUIET_CORES, maxWaitMillis, log) <= QUIET_CORES;
    }

    /** Times the work; returns the quietest attempt's timing and result. */
    public <T> Timed<T> time(String what, Supplier<T> work) {
        Timed<T> best = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            boolean quiet = settle();
            CpuMonitor.Sample before = CpuMonitor.sample();
            T result = work.get();
            CpuMonitor.Sample after = CpuMonitor.sample();
            Timed<T> timed =
                    new Timed<>((after.nanos() - before.nanos()) / 1e9, CpuMonitor.othersCores(before, after), result);
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
