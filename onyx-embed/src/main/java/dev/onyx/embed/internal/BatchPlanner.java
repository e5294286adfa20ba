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
}
