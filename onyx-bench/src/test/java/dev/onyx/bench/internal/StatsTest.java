package dev.onyx.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentilesUseTheNearestRank() {
        double[] samples = new double[100];
        for (int i = 0; i < 100; i++) samples[99 - i] = i + 1; // 100..1, unsorted

        assertThat(Stats.percentile(samples, 50)).isEqualTo(50);
        assertThat(Stats.percentile(samples, 95)).isEqualTo(95);
        assertThat(Stats.percentile(samples, 99)).isEqualTo(99);
        assertThat(Stats.percentile(samples, 100)).isEqualTo(100);
        assertThat(Stats.percentile(new double[] {7}, 1)).isEqualTo(7);
    }

    @Test
    void percentileOutsideTheRangeIsRejected() {
        assertThatThrownBy(() -> Stats.percentile(new double[] {1}, 0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Stats.percentile(new double[0], 50)).hasMessageContaining("no samples");
    }

    @Test
    void medianOfAnEvenCountIsTheMiddleMean() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }

    @Test
    void cosineIgnoresLengthAndSeesDirection() {
        assertThat(Stats.cosine(new float[] {1, 2, 3}, new float[] {2, 4, 6})).isCloseTo(1.0, within(1e-12));
        assertThat(Stats.cosine(new float[] {1, 0}, new float[] {0, 1})).isCloseTo(0.0, within(1e-12));
        assertThat(Stats.cosine(new float[] {1, 0}, new float[] {-1, 0})).isCloseTo(-1.0, within(1e-12));
        assertThatThrownBy(() -> Stats.cosine(new float[1], new float[2])).hasMessageContaining("1 vs 2");
    }
}
