package dev.onyx.server.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits the inputs gathered from many requests into model runs so that little compute goes to padding. Stateless.
 *
 * <p>A run pads every input to its longest, so one run over inputs of mixed lengths wastes work; many runs cost a fixed
 * overhead each. The plan sorts by length and picks the cut points that minimise {@code sum(run size × longest in run)
 * + runs × runCostTokens} (dynamic programming over the sorted lengths, runs of at most {@code maxRun} inputs and,
 * unless a single input is longer, at most {@code maxRunTokens} padded tokens).
 */
public final class PaddingPlanner {
    private PaddingPlanner() {}

    /** Groups of input indices, one per run; each group in ascending length, every index exactly once. */
    public static List<int[]> plan(int[] lengths, int maxRun, int runCostTokens) {
        return plan(lengths, maxRun, Integer.MAX_VALUE, runCostTokens);
    }

    /** As {@link #plan(int[], int, int)}, with runs also bounded by padded tokens (size × longest). */
    public static List<int[]> plan(int[] lengths, int maxRun, int maxRunTokens, int runCostTokens) {
        int n = lengths.length;
        int[] order = IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingInt(i -> lengths[i]))
                .mapToInt(Integer::intValue)
                .toArray();
        long[] best = new long[n + 1];
        int[] cut = new int[n + 1];
        Arrays.fill(best, Long.MAX_VALUE);
        best[0] = 0;
        for (int end = 1; end <= n; end++) {
            long longest = lengths[order[end - 1]];
            for (int start = Math.max(0, end - maxRun); start < end; start++) {
                if (end - start > 1 && (end - start) * longest > maxRunTokens) {
                    continue;
                }
                long cost = best[start] + (end - start) * longest + runCostTokens;
                if (cost < best[end]) {
                    best[end] = cost;
                    cut[end] = start;
                }
            }
        }
        List<int[]> groups = new ArrayList<>();
        for (int end = n; end > 0; end = cut[end]) {
            groups.add(0, Arrays.copyOfRange(order, cut[end], end));
        }
        return groups;
    }
}
