package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Objects;

/** Vector similarity for embeddings; stateless, so thread-safe. */
public final class Similarity {
    private Similarity() {}

    /**
     * Cosine similarity, accumulated in double precision; 0 when either vector is all zeros.
     *
     * @throws OnyxException when the vectors have different lengths
     */
    public static double cosine(float[] a, float[] b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.length != b.length) {
            throw new OnyxException("cannot compare vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
