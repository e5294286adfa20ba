package dev.onyx.embed.internal;

import dev.onyx.embed.Pooling;
import java.nio.FloatBuffer;

/**
 * Pooling over {@code last_hidden_state} {@code [rows, seq, dim]} honouring the attention mask, and L2 normalization;
 * stateless, so thread-safe. Accumulation is in double so long texts lose nothing to float rounding.
 */
public final class PoolingKernels {
    private PoolingKernels() {}

    /**
     * Pools every row of a batch.
     *
     * @param hidden row-major {@code [rows, seq, dim]} token vectors
     * @param mask row-major {@code [rows, seq]} attention mask (1 = token, 0 = padding)
     */
    public static float[][] pool(Pooling pooling, FloatBuffer hidden, long[] mask, int rows, int seq, int dim) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = switch (pooling) {
                case MEAN -> mean(hidden, mask, r, seq, dim);
                case CLS -> cls(hidden, r, seq, dim);
                case MAX -> max(hidden, mask, r, seq, dim);
            };
        }
        return out;
    }

    static float[] mean(FloatBuffer hidden, long[] mask, int row, int seq, int dim) {
        double[] sum = new double[dim];
        long count = 0;
        for (int t = 0; t < seq; t++) {
            if (mask[row * seq + t] == 0) continue;
            count++;
            int base = (row * seq + t) * dim;
            for (int d = 0; d < dim; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        // sentence-transformers clamps the token count at 1e-9 so an all-padding row gives zeros, not NaN
        double denominator = Math.max(count, 1e-9);
        float[] out = new float[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = (float) (sum[d] / denominator);
        }
        return out;
    }

    static float[] cls(FloatBuffer hidden, int row, int seq, int dim) {
        float[] out = new float[dim];
        hidden.get(row * seq * dim, out, 0, dim);
        return out;
    }

    static float[] max(FloatBuffer hidden, long[] mask, int row, int seq, int dim) {
        float[] out = new float[dim];
        java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
        boolean any = false;
        for (int t = 0; t < seq; t++) {
            if (mask[row * seq + t] == 0) continue;
            any = true;
            int base = (row * seq + t) * dim;
            for (int d = 0; d < dim; d++) {
                out[d] = Math.max(out[d], hidden.get(base + d));
            }
        }
        if (!any) {
            java.util.Arrays.fill(out, 0f);
        }
        return out;
    }

    /** Divides a vector by its L2 norm in place (a zero vector stays zero); returns it. */
    public static float[] normalize(float[] v) {
        double sq = 0;
        for (float x : v) sq += (double) x * x;
        double norm = Math.sqrt(sq);
        if (norm > 0) {
            // sentence-transformers divides by max(norm, 1e-12)
            double scale = 1.0 / Math.max(norm, 1e-12);
            for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * scale);
        }
        return v;
    }
}
