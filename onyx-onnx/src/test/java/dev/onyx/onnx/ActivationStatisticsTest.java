package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationStatisticsTest {
    @Test
    void minMaxKeepsOutliersAndPercentilesClipThem() {
        Random random = new Random(7);
        float[] values = new float[200_001];
        for (int i = 0; i < 200_000; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        values[200_000] = 1000f;
        ActivationStatistics stats = new ActivationStatistics();
        stats.add(FloatBuffer.wrap(values));
        assertThat(stats.count()).isEqualTo(200_001);
        assertThat(stats.range(CalibrationMethod.MIN_MAX).max()).isEqualTo(1000f);
        ActivationRange clipped = stats.range(CalibrationMethod.PERCENTILE_99_99);
        // one bin is at most 1.1 % wide; the 0.01 % tail of a uniform [-1, 1] ends near ±1
        assertThat(clipped.max()).isCloseTo(1f, within(0.02f));
        assertThat(clipped.min()).isCloseTo(-1f, within(0.02f));
    }

    @Test
    void tracksEachChannelOfTheLastAxisAndMerges() {
        ActivationStatistics a = new ActivationStatistics();
        a.add(FloatBuffer.wrap(new float[] {1, -2, 3, 4, 5, -6}), 3);
        assertThat(a.channelMin()).containsExactly(1, -2, -6);
        assertThat(a.channelMax()).containsExactly(4, 5, 3);
        ActivationStatistics b = new ActivationStatistics();
        b.add(FloatBuffer.wrap(new float[] {-10, 0, 0}), 3);
        a.add(b);
        assertThat(a.channelMin()).containsExactly(-10, -2, -6);
        assertThat(a.min()).isEqualTo(-10f);
        assertThatThrownBy(() -> a.add(FloatBuffer.wrap(new float[4]), 3)).hasMessageContaining("whole rows");
        assertThatThrownBy(() -> new ActivationStatistics().range(CalibrationMethod.MIN_MAX))
                .hasMessageContaining("no values");
    }

    @Test
    void methodsParseByCliNameAndListTheAllowedOnes() {
        assertThat(CalibrationMethod.parse("P99.99")).isEqualTo(CalibrationMethod.PERCENTILE_99_99);
        assertThatThrownBy(() -> CalibrationMethod.parse("entropy"))
                .hasMessageContaining("allowed: minmax, p99.999, p99.99, p99.9");
    }
}
