package dev.onyx.embed.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups sequences into inference batches: sorted by length so each batch pads little, at most {@code maxBatchSize}
 * rows and at most {@code maxBatchTokens} padded tokens per batch (a sequence longer than the budget runs alone).
 * Stateless, so thread-safe.
 */
public final class BatchPlanner {
    private BatchPlanner() {}

    /** Returns batches of indices into {@code lengths}, shortest sequences first. */
    public static List<int[]> plan(int[] lengths, int maxBatchSize, int maxBatchTokens) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            while (end < order.length
                    && end - start < maxBatchSize
                    && (long) lengths[order[end]] * (end - start + 1) <= maxBatchTokens) {
                end++;
            }
            int[] batch = new int[end - start];
            for (int i = start; i < end; i++) batch[i - start] = order[i];
            batches.add(batch);
            start = end;
        }
        return batches;
    }

    /**
     * Splits one small call into at most {@code parts} length-sorted batches of contiguous lengths, choosing the cut
     * points that minimize the largest batch's padded tokens (rows × longest), so batches that run side by side, one
     * per core, end together. Returns {@code plan} unchanged when it already has {@code parts} batches or more, or
     * when the call has fewer than {@code 2 × parts} sequences (too little work to share). Each batch keeps the
     * limits of {@link #plan} ({@code maxBatchSize} rows, {@code maxBatchTokens} padded tokens unless it is one
     * sequence).
     */
    public static List<int[]> splitForWorkers(
            int[] lengths, List<int[]> plan, int parts, int maxBatchSize, int maxBatchTokens) {
        int n = lengths.length;
        if (parts < 2 || plan.size() >= parts || n < 2 * parts) return plan;
        int[] order = plan.stream().flatMapToInt(Arrays::stream).toArray(); // already sorted by length
        // cost[k][i]: the least largest padded size for the first i sorted sequences in k batches
        long[][] cost = new long[parts + 1][n + 1];
        int[][] cut = new int[parts + 1][n + 1];
        for (long[] row : cost) Arrays.fill(row, Long.MAX_VALUE);
        cost[0][0] = 0;
        for (int k = 1; k <= parts; k++) {
            for (int i = 1; i <= n; i++) {
                for (int j = k - 1; j < i; j++) {
                    if (cost[k - 1][j] == Long.MAX_VALUE) continue;
                    long padded = (long) lengths[order[i - 1]] * (i - j);
                    if (i - j > maxBatchSize || (i - j > 1 && padded > maxBatchTokens)) continue;
                    long worst = Math.max(cost[k - 1][j], padded);
                    if (worst < cost[k][i]) {
                        cost[k][i] = worst;
                        cut[k][i] = j;
                    }
                }
            }
        }
        if (cost[parts][n] == Long.MAX_VALUE) return plan;
        List<int[]> batches = new ArrayList<>();
        for (int k = parts, end = n; k > 0; end = cut[k][end], k--) {
            batches.add(0, Arrays.copyOfRange(order, cut[k][end], end));
        }
        return batches;
    }
}
