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
}
