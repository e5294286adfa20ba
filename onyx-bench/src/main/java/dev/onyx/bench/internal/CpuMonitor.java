package dev.onyx.bench.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures how much CPU other processes take while the benchmark runs (from Linux's {@code /proc/stat} and {@code
 * /proc/self/stat}), so a shared machine's noise is seen, waited out and reported rather than silently measured.
 * Stateless, so thread-safe; on systems without {@code /proc} every reading is 0.
 */
public final class CpuMonitor {
    /** Linux reports CPU time in USER_HZ ticks, 100 per second on every mainstream kernel configuration. */
    private static final double TICKS_PER_SECOND = 100;

    private CpuMonitor() {}

    /** A reading: busy ticks of the whole machine and of this process, and when. */
    public record Sample(long machineBusyTicks, long selfTicks, long nanos) {}

    public static Sample sample() {
        return new Sample(machineBusyTicks(), selfTicks(), System.nanoTime());
    }

    /** Average number of cores other processes kept busy between two samples. */
    public static double othersCores(Sample from, Sample to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        if (seconds <= 0) {
            return 0;
        }
        long others = (to.machineBusyTicks() - from.machineBusyTicks()) - (to.selfTicks() - from.selfTicks());
        return Math.max(0, others / TICKS_PER_SECOND / seconds);
    }

    /**
     * Waits until other processes use at most {@code maxOtherCores} over a half-second window, or {@code maxWaitMillis}
     * has passed; returns the last window's reading.
     */
    public static double waitForQuiet(double maxOtherCores, long maxWaitMillis, PrintStream log) {
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000;
        boolean told = false;
        while (true) {
            Sample before = sample();
            sleep(500);
            double others = othersCores(before, sample());
            if (others <= maxOtherCores || System.nanoTime() > deadline) {
                return others;
            }
            if (!told) {
                log.printf("waiting for other processes to quiet down (they use %.2f cores)...%n", others);
                told = true;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a quiet machine", e);
        }
    }

    private static long machineBusyTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0); // cpu user nice system idle iowait ...
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]);
            return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux
        }
    }

    private static long selfTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
