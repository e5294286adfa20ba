package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Objects;

/**
 * Embeddings in a compact {@link Precision}, with sentence-transformers' {@code quantize_embeddings} semantics; immutable
 * (accessors return copies), so thread-safe.
 *
 * <p>{@code int8} / {@code uint8} map each dimension's calibration range {@code [min, max]} onto 256 steps and truncate
 * toward zero; the ranges come from calibration embeddings when given, else from the embeddings themselves (so they
 * depend on the batch; with one vector or a constant dimension the range is empty and that dimension becomes the lowest
 * value). Values outside a calibration range are clamped. {@code binary} / {@code ubinary} pack the sign bits
 * ({@code x > 0}), first dimension in the high bit, 8 per byte, the last byte padded with zero bits.
 */
public final class QuantizedEmbeddings {
    private final Precision precision;
    private final int dimension;
    private final byte[][] rows;
    private final int[] tokenCounts;

    private QuantizedEmbeddings(Precision precision, int dimension, byte[][] rows, int[] tokenCounts) {
        this.precision = precision;
        this.dimension = dimension;
        this.rows = rows;
        this.tokenCounts = tokenCounts;
    }

    /** Quantizes with ranges taken from the embeddings themselves. */
    public static QuantizedEmbeddings of(Embeddings embeddings, Precision precision) {
        Objects.requireNonNull(embeddings, "embeddings");
        return of(embeddings, precision, embeddings.toArray());
    }

    /**
     * Quantizes with per-dimension ranges from calibration embeddings (ignored by the binary precisions).
     *
     * @throws OnyxException for {@link Precision#FLOAT32}, or calibration of another dimension or with no rows
     */
    public static QuantizedEmbeddings of(Embeddings embeddings, Precision precision, float[][] calibration) {
        Objects.requireNonNull(embeddings, "embeddings");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(calibration, "calibration");
        if (precision == Precision.FLOAT32) {
            throw new OnyxException("float32 is not a quantized precision; use the Embeddings as they are");
        }
        int dim = embeddings.dimension();
        int[] tokens = new int[embeddings.size()];
        byte[][] rows = new byte[embeddings.size()][];
        float[][] ranges = precision == Precision.INT8 || precision == Precision.UINT8
                ? ranges(calibration, dim, embeddings.size())
                : null;
        for (int i = 0; i < rows.length; i++) {
            float[] v = embeddings.vector(i);
            tokens[i] = embeddings.tokenCount(i);
            rows[i] = switch (precision) {
                case FLOAT32 -> throw new IllegalStateException("checked above");
                case INT8, UINT8 -> scalar(v, ranges, precision == Precision.INT8);
                case BINARY, UBINARY -> packSigns(v, precision == Precision.BINARY);
            };
        }
        return new QuantizedEmbeddings(precision, dim, rows, tokens);
    }

    /** {min[], max[]} per dimension. */
    private static float[][] ranges(float[][] calibration, int dim, int count) {
        if (count > 0 && calibration.length == 0) {
            throw new OnyxException("int8/uint8 quantization needs at least one calibration embedding, got none");
        }
        float[] min = new float[dim];
        float[] max = new float[dim];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < calibration.length; r++) {
            if (calibration[r] == null || calibration[r].length != dim) {
                throw new OnyxException("calibration embedding " + r + " has "
                        + (calibration[r] == null ? "no values" : calibration[r].length + " dimensions")
                        + "; the embeddings have " + dim);
            }
            for (int d = 0; d < dim; d++) {
                min[d] = Math.min(min[d], calibration[r][d]);
                max[d] = Math.max(max[d], calibration[r][d]);
            }
        }
        return new float[][] {min, max};
    }

    private static byte[] scalar(float[] v, float[][] ranges, boolean signed) {
        byte[] out = new byte[v.length];
        for (int d = 0; d < v.length; d++) {
            float start = ranges[0][d];
            float step = (ranges[1][d] - start) / 255f;
            float steps = step > 0 ? (v[d] - start) / step : 0f; // float32 arithmetic, as numpy does it
            int q = signed ? (int) (steps - 128f) : (int) steps; // (int) truncates toward zero, like astype
            out[d] = (byte) (signed ? Math.max(-128, Math.min(127, q)) : Math.max(0, Math.min(255, q)));
        }
        return out;
    }

    private static byte[] packSigns(float[] v, boolean signed) {
        byte[] out = new byte[(v.length + 7) / 8];
        for (int d = 0; d < v.length; d++) {
            if (v[d] > 0) {
                out[d / 8] |= (byte) (0x80 >>> (d % 8));
            }
        }
        if (signed) {
            for (int i = 0; i < out.length; i++) out[i] = (byte) ((out[i] & 0xFF) - 128);
        }
        return out;
    }

    public Precision precision() {
        return precision;
    }

    /** Number of vectors. */
    public int size() {
        return rows.length;
    }

    /** Dimensions of the float vectors these came from. */
    public int dimension() {
        return dimension;
    }

    /** Bytes per quantized vector: the dimension for int8/uint8, {@code ceil(dimension / 8)} for binary. */
    public int bytesPerVector() {
        return precision.bytesPerVector(dimension);
    }

    /** A copy of vector {@code i}'s bytes (signed precisions in two's complement). */
    public byte[] bytes(int i) {
        check(i);
        return rows[i].clone();
    }

    /** Vector {@code i} as numbers: -128..127 for int8 and binary, 0..255 for uint8 and ubinary. */
    public int[] values(int i) {
        check(i);
        int[] out = new int[rows[i].length];
        for (int d = 0; d < out.length; d++) {
            out[d] = precision.signed() ? rows[i][d] : rows[i][d] & 0xFF;
        }
        return out;
    }

    /** Tokens the model processed for input {@code i}, prompt and special tokens included. */
    public int tokenCount(int i) {
        check(i);
        return tokenCounts[i];
    }

    private void check(int i) {
        if (i < 0 || i >= rows.length) {
            throw new OnyxException("index " + i + " is outside 0.." + (rows.length - 1));
        }
    }
}
