package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Output precision against values computed by hand from sentence-transformers' quantize_embeddings rules. */
class QuantizedEmbeddingsTest {

    private static Embeddings embeddings(float[]... rows) {
        return new Embeddings(rows, new int[rows.length]);
    }

    @Test
    void binaryPacksSignBitsHighBitFirstAndPadsTheLastByte() {
        // bits: 1 0 0 1 1 0 1 0 | 1 0 (zero and negative values are 0 bits)
        Embeddings e = embeddings(new float[] {0.5f, -1f, 0f, 2f, 3f, -0.1f, 0.2f, 0f, 1f, -1f});

        QuantizedEmbeddings ubinary = QuantizedEmbeddings.of(e, Precision.UBINARY);
        QuantizedEmbeddings binary = QuantizedEmbeddings.of(e, Precision.BINARY);

        assertThat(ubinary.values(0)).containsExactly(0b1001_1010, 0b1000_0000); // 154, 128
        assertThat(binary.values(0)).containsExactly(154 - 128, 128 - 128);
        assertThat(binary.bytes(0)).containsExactly(26, 0);
        assertThat(ubinary.bytesPerVector()).isEqualTo(2);
        assertThat(ubinary.dimension()).isEqualTo(10);
    }

    @Test
    void int8AndUint8MapCalibrationRangesOnto256StepsTruncatingTowardZeroAndClampingOutliers() {
        // dimension 0 calibrated to [0, 255]: step exactly 1
        float[][] calibration = {{0f}, {255f}};
        Embeddings e = embeddings(
                new float[] {0f},
                new float[] {127.9f},
                new float[] {128.5f},
                new float[] {255f},
                new float[] {-3f},
                new float[] {300f});

        QuantizedEmbeddings uint8 = QuantizedEmbeddings.of(e, Precision.UINT8, calibration);
        QuantizedEmbeddings int8 = QuantizedEmbeddings.of(e, Precision.INT8, calibration);

        int[] expectedUint8 = {0, 127, 128, 255, 0, 255};
        int[] expectedInt8 = {-128, 0, 0, 127, -128, 127}; // 127.9 - 128 = -0.1 truncates to 0
        for (int i = 0; i < e.size(); i++) {
            assertThat(uint8.values(i)).as("uint8 row %d", i).containsExactly(expectedUint8[i]);
            assertThat(int8.values(i)).as("int8 row %d", i).containsExactly(expectedInt8[i]);
        }
        assertThat(int8.bytes(0)).containsExactly((byte) -128);
        assertThat(uint8.bytes(3)).containsExactly((byte) 0xFF);
    }

    @Test
    void withoutCalibrationTheRangesComeFromTheBatchAndAConstantDimensionMapsToTheLowestValue() {
        Embeddings e = embeddings(new float[] {1f, 2f}, new float[] {256f, 2f}, new float[] {86f, 2f});

        QuantizedEmbeddings uint8 = QuantizedEmbeddings.of(e, Precision.UINT8);

        assertThat(uint8.values(0)).containsExactly(0, 0);
        assertThat(uint8.values(1)).containsExactly(255, 0);
        assertThat(uint8.values(2)).containsExactly(85, 0);
    }

    @Test
    void float32AndMismatchedCalibrationAreRefused() {
        Embeddings e = embeddings(new float[] {1f, 2f});

        assertThatThrownBy(() -> QuantizedEmbeddings.of(e, Precision.FLOAT32)).hasMessageContaining("float32");
        assertThatThrownBy(() -> QuantizedEmbeddings.of(e, Precision.INT8, new float[][] {{1f, 2f, 3f}}))
                .hasMessageContaining("3 dimensions")
                .hasMessageContaining("have 2");
    }

    @Test
    void precisionLabelsParseAndUnknownOnesListTheAllowed() {
        assertThat(Precision.parse("UBinary")).isEqualTo(Precision.UBINARY);
        assertThat(Precision.INT8.bytesPerVector(384)).isEqualTo(384);
        assertThat(Precision.BINARY.bytesPerVector(384)).isEqualTo(48);
        assertThatThrownBy(() -> Precision.parse("fp16"))
                .hasMessageContaining("'fp16'")
                .hasMessageContaining("[float32, int8, uint8, binary, ubinary]");
    }
}
