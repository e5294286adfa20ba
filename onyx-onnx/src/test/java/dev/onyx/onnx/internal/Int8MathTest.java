package dev.onyx.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Int8MathTest {
    @Test
    void eachOutputColumnGetsItsOwnSymmetricScale() {
        // [2 rows, 3 cols]: column maxima 2, 0.5, 0 (all-zero column)
        float[] w = {2f, -0.5f, 0f, -1f, 0.25f, 0f};
        Int8Math.ChannelWeights q = Int8Math.perColumn(w, 2, 3, 127);
        assertThat(q.scales()[0]).isCloseTo(2f / 127, within(1e-9f));
        assertThat(q.scales()[1]).isCloseTo(0.5f / 127, within(1e-9f));
        assertThat(q.scales()[2]).isEqualTo(1f);
        assertThat(q.values()).containsExactly(127, -127, 0, -64, 64, 0);
    }

    @Test
    void roundsHalfToEvenAndClipsToTheLimit() {
        assertThat(Int8Math.quantize(2.5f, 1f, 0, -127, 127)).isEqualTo(2);
        assertThat(Int8Math.quantize(3.5f, 1f, 0, -127, 127)).isEqualTo(4);
        assertThat(Int8Math.quantize(-2.5f, 1f, 0, -127, 127)).isEqualTo(-2);
        assertThat(Int8Math.quantize(1000f, 1f, 0, -63, 63)).isEqualTo(63);
        assertThat(Int8Math.quantize(-1000f, 1f, 3, 0, 255)).isZero();
        float[] w = {4f, 0.625f, 0.375f}; // scale 4/16 = 0.25: 2.5 rounds to 2, 1.5 to 2
        assertThat(Int8Math.perColumn(w, 3, 1, 16).values()).containsExactly(16, 2, 2);
    }

    @Test
    void activationsGetAnAsymmetricUint8GridThatHoldsZeroExactly() {
        float[] p = Int8Math.uint8Params(-1f, 3f);
        assertThat(p[0]).isCloseTo(4f / 255, within(1e-9f));
        assertThat(p[1]).isEqualTo(64f); // round(1 / (4/255)) = round(63.75)
        float[] positive = Int8Math.uint8Params(0.5f, 2f); // widened to [0, 2]
        assertThat(positive[1]).isZero();
        assertThat(positive[0]).isCloseTo(2f / 255, within(1e-9f));
        assertThat(Int8Math.uint8Params(0f, 0f)).containsExactly(1f, 0f);
        assertThatThrownBy(() -> Int8Math.uint8Params(1f, -1f)).hasMessageContaining("not a finite range");
        assertThatThrownBy(() -> Int8Math.perColumn(new float[3], 2, 2, 127)).hasMessageContaining("not 2 x 2");
    }
}
