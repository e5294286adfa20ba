package dev.onyx.onnx.internal;

/**
 * The arithmetic of int8 quantization, kept apart from graph rewriting so it can be tested value by value; stateless,
 * so thread-safe. Rounding is half to even, as ONNX {@code QuantizeLinear} rounds, and values outside the range clip.
 */
public final class Int8Math {
    /** Largest magnitude of a symmetric int8 weight: -127..127, so the range is symmetric around zero. */
    public static final int WEIGHT_LIMIT = 127;

    private Int8Math() {}

    /** Per-output-channel weights of a {@code [rows, cols]} row-major matrix: one scale per column. */
    public record ChannelWeights(byte[] values, float[] scales) {}

    /**
     * Quantizes {@code weight} ({@code [rows, cols]}, row-major, as a MatMul's B) symmetrically per column: scale =
     * max |column| / limit (1 for an all-zero column), value = round(w / scale) clipped to ±limit.
     */
    public static ChannelWeights perColumn(float[] weight, int rows, int cols, int limit) {
        if ((long) rows * cols != weight.length) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, not " + rows + " x " + cols);
        }
        if (limit < 1 || limit > WEIGHT_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + WEIGHT_LIMIT + ", was " + limit);
        }
        float[] scales = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) scales[c] = Math.max(scales[c], Math.abs(weight[r * cols + c]));
        }
        for (int c = 0; c < cols; c++) {
            scales[c] = scales[c] == 0f || !Float.isFinite(scales[c]) ? 1f : scales[c] / limit;
        }
        byte[] values = new byte[weight.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = (byte) quantize(weight[r * cols + c], scales[c], 0, -limit, limit);
            }
        }
        return new ChannelWeights(values, scales);
    }

    /** round-half-to-even(x / scale) + zeroPoint, clipped to [lo, hi]. */
    public static int quantize(float x, float scale, int zeroPoint, int lo, int hi) {
        double q = Math.rint(x / scale) + zeroPoint;
        return (int) Math.max(lo, Math.min(hi, q));
    }

    /**
     * Asymmetric uint8 parameters for activations in [min, max]: the range is widened to include 0 (so zero padding and
     * ReLU-like zeros are exact), scale = (max - min) / 255, zero point = round(-min / scale).
     *
     * @return {@code {scale, zeroPoint}}
     */
    public static float[] uint8Params(float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("activation range [" + min + ", " + max + "] is not a finite range");
        }
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        float scale = (hi - lo) / 255f;
        if (scale == 0f) return new float[] {1f, 0f};
        int zeroPoint = (int) Math.max(0, Math.min(255, Math.rint(-lo / scale)));
        return new float[] {scale, zeroPoint};
    }
}
