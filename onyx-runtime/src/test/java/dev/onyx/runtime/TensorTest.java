package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void shapeMustMatchTheDataLength() {
        assertThatThrownBy(() -> Tensor.ofFloats(new float[5], 2, 3))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("[2, 3] holds 6 elements but 5 were given");
    }

    @Test
    void arraysAreCopiedInAndOut() {
        float[] data = {1, 2};
        Tensor t = Tensor.ofFloats(data, 2);
        data[0] = 9;
        assertThat(t.floats()).containsExactly(1, 2);
        t.floats()[1] = 7;
        assertThat(t.floats()).containsExactly(1, 2);
    }

    @Test
    void readingTheWrongElementTypeIsAnError() {
        Tensor t = Tensor.ofLongs(new long[] {1, 2}, 2);
        assertThatThrownBy(t::floats).isInstanceOf(OnyxException.class).hasMessageContaining("INT64, not FLOAT");
        assertThat(t.toDoubleArray()).containsExactly(1.0, 2.0);
    }

    @Test
    void negativeDimensionsAreRejected() {
        assertThatThrownBy(() -> Tensor.ofFloats(new float[0], -1))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("must be >= 0");
    }
}
