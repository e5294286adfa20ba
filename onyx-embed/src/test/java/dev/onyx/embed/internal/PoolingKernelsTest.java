package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.embed.Pooling;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class PoolingKernelsTest {
    // two rows, seq 3, dim 2; row 0 has one padding position holding large values that must be ignored
    private static final float[] HIDDEN = {
        1, -2, 3, -4, 1000, 1000, // row 0: tokens (1,-2), (3,-4), padding (1000,1000)
        -5, 6, -7, -8, 9, -1 // row 1: three real tokens
    };
    private static final long[] MASK = {1, 1, 0, 1, 1, 1};

    private static float[][] pool(Pooling pooling) {
        return PoolingKernels.pool(pooling, FloatBuffer.wrap(HIDDEN), MASK, 2, 3, 2);
    }

    @Test
    void meanPoolingIgnoresPaddingTokens() {
        float[][] out = pool(Pooling.MEAN);
        assertThat(out[0]).containsExactly(new float[] {2, -3}, within(1e-6f));
        assertThat(out[1]).containsExactly(new float[] {-1, -1}, within(1e-6f));
    }

    @Test
    void maxPoolingIgnoresPaddingAndHandlesNegativeValues() {
        float[][] out = pool(Pooling.MAX);
        assertThat(out[0]).containsExactly(3, -2);
        assertThat(out[1]).containsExactly(9, 6);
    }

    @Test
    void clsPoolingTakesTheFirstToken() {
        float[][] out = pool(Pooling.CLS);
        assertThat(out[0]).containsExactly(1, -2);
        assertThat(out[1]).containsExactly(-5, 6);
    }

    @Test
    void meanOfAnAllPaddingRowIsZeroNotNaN() {
        float[][] out =
                PoolingKernels.pool(Pooling.MEAN, FloatBuffer.wrap(new float[] {4, 5}), new long[] {0}, 1, 1, 2);
        assertThat(out[0]).containsExactly(0, 0);
    }

    @Test
    void maskMayHaveHolesNotOnlyRightPadding() {
        long[] mask = {1, 0, 1, 0, 1, 1};
        float[][] out = PoolingKernels.pool(Pooling.MEAN, FloatBuffer.wrap(HIDDEN), mask, 2, 3, 2);
        assertThat(out[0]).containsExactly(new float[] {500.5f, 499f}, within(1e-4f));
        assertThat(out[1]).containsExactly(new float[] {1, -4.5f}, within(1e-6f));
    }

    @Test
    void normalizationGivesUnitLengthAndKeepsDirection() {
        float[] v = PoolingKernels.normalize(new float[] {3, -4});
        assertThat(v).containsExactly(new float[] {0.6f, -0.8f}, within(1e-7f));
        assertThat(PoolingKernels.normalize(new float[] {0, 0})).containsExactly(0, 0);
    }
}
