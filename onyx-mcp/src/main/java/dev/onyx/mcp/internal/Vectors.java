package dev.onyx.mcp.internal;

/** Vector arithmetic for the tools: cosine similarity; stateless and thread-safe. */
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
}
