package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.runtime.OnyxException;
import org.junit.jupiter.api.Test;

class SimilarityTest {
    @Test
    void cosineIsScaleFreeAndZeroForAZeroVector() {
        assertThat(Similarity.cosine(new float[] {1, 2}, new float[] {2, 4})).isCloseTo(1.0, within(1e-12));
        assertThat(Similarity.cosine(new float[] {1, 0}, new float[] {0, 1})).isCloseTo(0.0, within(1e-12));
        assertThat(Similarity.cosine(new float[] {1, 0}, new float[] {-3, 0})).isCloseTo(-1.0, within(1e-12));
        assertThat(Similarity.cosine(new float[] {0, 0}, new float[] {1, 1})).isZero();
    }

    @Test
    void vectorsOfDifferentLengthsAreRejected() {
        assertThatThrownBy(() -> Similarity.cosine(new float[2], new float[3]))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("2 and 3 dimensions");
    }
}
