package dev.onyx.server.internal;

import dev.onyx.runtime.Device;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * What one more model run costs, in padded tokens, fitted from the runs' own times: the scheduler splits a gather into
 * more, tighter runs when a run's fixed cost is small next to its per-token cost (a CPU with one thread per worker),
 * and into fewer, padded ones when it is large (more threads per run, a GPU). Thread-safe.
 *
 * <p>Each run adds {@code (padded tokens, seconds)}; an exponentially weighted least-squares line {@code seconds = fixed +
 * perToken × padded tokens} over the recent runs gives {@code fixed / perToken}. On a CPU a run is timed by the worker
 * thread's CPU time ({@link #clockFor}): wall time there also counts the time the thread waited for a core, which under
 * load adds a few milliseconds to runs of any size and so reads as fixed cost (fits swung from 6 to 45 tokens within
 * one load on 2 cores); the calling thread does its share of every operator, so its CPU time follows the run's. Until {@value #MIN_RUNS} runs are seen,
 * or while the runs do not spread enough to fit a line, the estimate stays at its start value. Measured on the bundled
 * all-MiniLM-L6-v2 on 2 cores (runs of 1–16 texts × 10–96 tokens, median times): one intra-op thread per run costs
 * ≈ 1.7 ms + 0.29 ms per padded token, i.e. ≈ 6 tokens; two threads ≈ 21 tokens.
 */
final class RunCostModel {
    /** Start value: the one-thread-per-worker figure above (the server's default on a small machine). */
    static final double START_TOKENS = 6;

    static final int MIN_RUNS = 32;
    /** The weight of each older run shrinks by this factor per new run: about the last 500 runs count. */
    private static final double DECAY = 0.998;

    private final double lowest;
    private final double highest;
    private double weight;
    private double sumX;
    private double sumY;
    private double sumXX;
    private double sumXY;
    private long runs;
    private double estimate;

    /** Estimates are kept within {@code [lowest, highest]} padded tokens. */
    RunCostModel(double lowest, double highest) {
        if (!(lowest > 0 && highest >= lowest)) {
            throw new IllegalArgumentException("need 0 < lowest <= highest, got " + lowest + ", " + highest);
        }
        this.lowest = lowest;
        this.highest = highest;
        this.estimate = Math.min(highest, Math.max(lowest, START_TOKENS));
    }

    /** The clock to time runs with on {@code device}: the current thread's CPU time on a CPU, else wall time. */
    static LongSupplier clockFor(Device device) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (device == Device.CPU && threads.isCurrentThreadCpuTimeSupported()) {
            return threads::getCurrentThreadCpuTime;
        }
        return System::nanoTime;
    }

    /** Adds one run: its padded tokens (inputs × longest) and how long its model call took. */
    synchronized void observe(long paddedTokens, long nanos) {
        if (paddedTokens <= 0 || nanos <= 0) {
            return;
        }
        double x = paddedTokens;
        double y = nanos / 1e9;
        weight = weight * DECAY + 1;
        sumX = sumX * DECAY + x;
        sumY = sumY * DECAY + y;
        sumXX = sumXX * DECAY + x * x;
        sumXY = sumXY * DECAY + x * y;
        if (++runs < MIN_RUNS) {
            return;
        }
        double spread = weight * sumXX - sumX * sumX; // weight² × the variance of x
        if (spread <= 1e-6 * sumX * sumX) {
            return; // runs of (nearly) one size: no line to fit
        }
        double perToken = (weight * sumXY - sumX * sumY) / spread;
        double fixed = (sumY - perToken * sumX) / weight;
        if (perToken <= 0) {
            return; // noise swamped the line; keep the last estimate
        }
        estimate = Math.min(highest, Math.max(lowest, fixed / perToken));
    }

    /** The current estimate of one run's fixed cost, in padded tokens. */
    synchronized double tokens() {
        return estimate;
    }

    /** How many runs were observed. */
    synchronized long runs() {
        return runs;
    }
}
