package dev.onyx.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {
    @Test
    void truncationKeepsTheLeadingDimensionsAndRenormalizes() {
        float[] v = {3, 4, 12};
        assertThat(Vectors.truncate(v, 2, true)).containsExactly(new float[] {0.6f, 0.8f}, within(1e-7f));
        assertThat(Vectors.truncate(v, 2, false)).containsExactly(3, 4);
    }

    @Test
    void cosineIsScaleFreeAndZeroForAZeroVector() {
        assertThat(Vectors.cosine(new float[] {1, 2}, new float[] {2, 4})).isCloseTo(1.0, within(1e-12));
        assertThat(Vectors.cosine(new float[] {1, 0}, new float[] {0, 1})).isCloseTo(0.0, within(1e-12));
        assertThat(Vectors.cosine(new float[] {0, 0}, new float[] {1, 1})).isZero();
    }
}
