package dev.onyx.mcp.internal;

import java.util.Arrays;

/** Vector arithmetic for the tools: cosine and Matryoshka-style truncation; stateless and thread-safe. */
final class Vectors {
    private Vectors() {}

    /** Cosine similarity in double precision; 0 when either vector is all zeros. */
    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** The first {@code dimensions} components, L2-normalized again when {@code normalize}. */
    static float[] truncate(float[] vector, int dimensions, boolean normalize) {
        float[] cut = Arrays.copyOf(vector, dimensions);
        if (!normalize) return cut;
        double norm = 0;
        for (float v : cut) norm += (double) v * v;
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < cut.length; i++) cut[i] = (float) (cut[i] / norm);
        }
        return cut;
    }
}
