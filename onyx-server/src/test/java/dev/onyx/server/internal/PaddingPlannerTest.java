package dev.onyx.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PaddingPlannerTest {

    @Test
    void everyInputLandsInExactlyOneRunInAscendingLength() {
        Random random = new Random(42);
        int[] lengths =
                IntStream.range(0, 300).map(i -> 3 + random.nextInt(250)).toArray();

        List<int[]> groups = PaddingPlanner.plan(lengths, 64, 32);

        int[] seen = groups.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(seen).containsExactly(IntStream.range(0, 300).toArray());
        for (int[] group : groups) {
            assertThat(group.length).isBetween(1, 64);
            for (int k = 1; k < group.length; k++) {
                assertThat(lengths[group[k]]).isGreaterThanOrEqualTo(lengths[group[k - 1]]);
            }
        }
    }

    @Test
    void farApartLengthsRunSeparatelyAndEqualOnesTogether() {
        int[] lengths = {200, 5, 5, 200, 5, 200};

        List<int[]> groups = PaddingPlanner.plan(lengths, 64, 32);

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactlyInAnyOrder(1, 2, 4);
        assertThat(groups.get(1)).containsExactlyInAnyOrder(0, 3, 5);
    }

    @Test
    void aHighRunCostKeepsEverythingInOneRun() {
        int[] lengths = {10, 12, 40, 41};

        assertThat(PaddingPlanner.plan(lengths, 64, 10_000)).hasSize(1);
        assertThat(PaddingPlanner.plan(lengths, 2, 10_000)).hasSize(2);
    }

    @Test
    void runsStayWithinThePaddedTokenBudgetUnlessOneInputIsLonger() {
        int[] lengths = {40, 40, 40, 40, 40, 40, 300};

        List<int[]> groups = PaddingPlanner.plan(lengths, 64, 100, 1);

        for (int[] group : groups) {
            int longest = 0;
            for (int i : group) longest = Math.max(longest, lengths[i]);
            assertThat(group.length == 1 || group.length * longest <= 100)
                    .as("group of %d, longest %d", group.length, longest)
                    .isTrue();
        }
        assertThat(groups.stream().mapToInt(g -> g.length).sum()).isEqualTo(lengths.length);
    }
}
