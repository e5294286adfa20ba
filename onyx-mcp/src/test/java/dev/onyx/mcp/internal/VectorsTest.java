package dev.onyx.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {
    @Test
    void cosineIsScaleFreeAndZeroForAZeroVector() {
        assertThat(Vectors.cosine(new float[] {1, 2}, new float[] {2, 4})).isCloseTo(1.0, within(1e-12));
        assertThat(Vectors.cosine(new float[] {1, 0}, new float[] {0, 1})).isCloseTo(0.0, within(1e-12));
        assertThat(Vectors.cosine(new float[] {0, 0}, new float[] {1, 1})).isZero();
    }
}
