package dev.onyx.neat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EngineInternalsTest {
    @Test
    void theSameChangeInOneGenerationGetsTheSameNumbersAndNewOnesLater() {
        InnovationTracker tracker = new InnovationTracker(1);
        long first = tracker.connection(-1, 0);
        assertThat(tracker.connection(-2, 0)).isEqualTo(first + 1);
        assertThat(tracker.connection(-1, 0)).isEqualTo(first);
        int split = tracker.splitNode(first);
        assertThat(split).isEqualTo(1);
        assertThat(tracker.splitNode(first)).isEqualTo(split);
        tracker.newGeneration();
        assertThat(tracker.connection(-1, 0)).isEqualTo(first + 2);
        assertThat(tracker.splitNode(first)).isEqualTo(2);
    }

    @Test
    void spawnAmountsFollowNeatPythonsComputeSpawn() {
        // af sum 1.0: targets 112.5 and 37.5 from sizes 100 and 50 → 100+6, 50−6 (round half to even), normalized
        int[] spawn = Reproduction.spawnAmounts(new double[] {0.75, 0.25}, new int[] {100, 50}, 150, 2);
        assertThat(spawn).containsExactly(106, 44);
        // all adjusted fitness 0: both aim at the minimum size 2; 148 halves its way there (75), 2 stays; ×150/77
        int[] none = Reproduction.spawnAmounts(new double[] {0, 0}, new int[] {148, 2}, 150, 2);
        assertThat(none).containsExactly(146, 4);
    }

    @Test
    void mlasLogisticIsWithinAFewUlpsOfTheExactLogisticAndSaturates() {
        for (float x = -17f; x <= 17f; x += 0.37f) {
            double exact = 1.0 / (1.0 + Math.exp(-x));
            assertThat((double) OrtFloat32Plan.mlasLogistic(x)).isCloseTo(exact, within(3e-7));
        }
        assertThat(OrtFloat32Plan.mlasLogistic(-60f)).isEqualTo(0f);
        assertThat(OrtFloat32Plan.mlasLogistic(60f)).isEqualTo(1f);
    }
}
