package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
    @Test
    void batchesAreLengthSortedAndCoverEveryIndexOnce() {
        int[] lengths = new Random(7).ints(500, 2, 300).toArray();
        List<int[]> batches = BatchPlanner.plan(lengths, 32, 4096);
        int[] seen = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(seen).isEqualTo(java.util.stream.IntStream.range(0, 500).toArray());
        int previousMax = 0;
        for (int[] batch : batches) {
            int min = Arrays.stream(batch).map(i -> lengths[i]).min().orElseThrow();
            int max = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
            assertThat(min).isGreaterThanOrEqualTo(previousMax);
            previousMax = max;
            assertThat(batch.length).isLessThanOrEqualTo(32);
            assertThat((long) max * batch.length).isLessThanOrEqualTo(4096);
        }
    }

    @Test
    void aSequenceOverTheTokenBudgetRunsAlone() {
        List<int[]> batches = BatchPlanner.plan(new int[] {10, 5000, 10}, 8, 100);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly(0, 2);
        assertThat(batches.get(1)).containsExactly(1);
    }

    @Test
    void aSmallCallIsSplitWhereTheLargestPaddedBatchIsSmallest() {
        int[] lengths = {36, 22, 45, 66, 14, 37, 52, 24, 64, 9};
        List<int[]> plan = BatchPlanner.plan(lengths, 16, 1024);
        assertThat(plan).hasSize(1);
        List<int[]> split = BatchPlanner.splitForWorkers(lengths, plan, 2, 16, 1024);
        assertThat(split).hasSize(2);
        int[] seen = split.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(seen).isEqualTo(java.util.stream.IntStream.range(0, 10).toArray());
        // every cut of the sorted lengths, tried by hand: the chosen one is as good as the best
        int[] sorted = Arrays.stream(lengths).sorted().toArray();
        long best = Long.MAX_VALUE;
        for (int k = 1; k < sorted.length; k++) {
            best = Math.min(best, Math.max((long) sorted[k - 1] * k, (long) sorted[9] * (10 - k)));
        }
        long worst = split.stream().mapToLong(b -> padded(lengths, b)).max().orElseThrow();
        assertThat(worst).isEqualTo(best);
        int shortMax = Arrays.stream(split.get(0)).map(i -> lengths[i]).max().orElseThrow();
        int longMin = Arrays.stream(split.get(1)).map(i -> lengths[i]).min().orElseThrow();
        assertThat(shortMax).isLessThanOrEqualTo(longMin);
    }

    @Test
    void callsTooSmallToShareOrAlreadySharedKeepTheirPlan() {
        List<int[]> three = BatchPlanner.plan(new int[] {5, 9, 7}, 16, 1024);
        assertThat(BatchPlanner.splitForWorkers(new int[] {5, 9, 7}, three, 2, 16, 1024))
                .isSameAs(three);
        int[] many = new Random(3).ints(40, 2, 100).toArray();
        List<int[]> planned = BatchPlanner.plan(many, 16, 1024);
        assertThat(planned.size()).isGreaterThanOrEqualTo(2);
        assertThat(BatchPlanner.splitForWorkers(many, planned, 2, 16, 1024)).isSameAs(planned);
        int[] ten = new Random(5).ints(10, 2, 100).toArray();
        List<int[]> one = BatchPlanner.plan(ten, 16, 1024);
        assertThat(BatchPlanner.splitForWorkers(ten, one, 1, 16, 1024)).isSameAs(one);
    }

    @Test
    void aSplitIntoThreePartsCoversEveryIndexInLengthOrder() {
        int[] lengths = new Random(11).ints(14, 2, 200).toArray();
        List<int[]> split = BatchPlanner.splitForWorkers(lengths, BatchPlanner.plan(lengths, 16, 4096), 3, 16, 4096);
        assertThat(split).hasSize(3);
        int[] order = split.stream().flatMapToInt(Arrays::stream).toArray();
        assertThat(Arrays.stream(order).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 14).toArray());
        for (int i = 1; i < order.length; i++) {
            assertThat(lengths[order[i]]).isGreaterThanOrEqualTo(lengths[order[i - 1]]);
        }
    }

    private static long padded(int[] lengths, int[] batch) {
        return (long) batch.length
                * Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
    }

    @Test
    void aSplitKeepsTheBatchLimitsOfThePlan() {
        int[] lengths = new int[33];
        Arrays.fill(lengths, 2);
        lengths[32] = 600; // over the token budget: it runs alone
        List<int[]> plan = BatchPlanner.plan(lengths, 16, 512);
        assertThat(plan).hasSize(3);
        List<int[]> split = BatchPlanner.splitForWorkers(lengths, plan, 4, 16, 512);
        assertThat(split.stream().flatMapToInt(Arrays::stream).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 33).toArray());
        for (int[] batch : split) {
            assertThat(batch.length).isLessThanOrEqualTo(16);
            if (batch.length > 1) assertThat(padded(lengths, batch)).isLessThanOrEqualTo(512);
        }
        assertThat(split.get(split.size() - 1)).containsExactly(32);
    }
}
