package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;

/**
 * The vectors of one {@link Embedder#embed(java.util.List)} call, in input order, with token usage; immutable, so
 * thread-safe. Accessors return copies, so callers cannot change what others see.
 */
public final class Embeddings {
    private final float[][] vectors;
    private final int[] tokenCounts;

    Embeddings(float[][] vectors, int[] tokenCounts) {
        this.vectors = vectors;
        this.tokenCounts = tokenCounts;
    }

    /**
     * Embeddings from vectors computed elsewhere (e.g. cut and re-normalized by a server); both arrays are copied.
     *
     * @throws OnyxException when the counts differ or the vectors have different lengths
     */
    public static Embeddings of(float[][] vectors, int[] tokenCounts) {
        java.util.Objects.requireNonNull(vectors, "vectors");
        java.util.Objects.requireNonNull(tokenCounts, "tokenCounts");
        if (vectors.length != tokenCounts.length) {
            throw new OnyxException(vectors.length + " vectors but " + tokenCounts.length + " token counts");
        }
        float[][] copy = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            copy[i] = java.util.Objects.requireNonNull(vectors[i], "vectors[" + i + "]")
                    .clone();
            if (copy[i].length != copy[0].length) {
                throw new OnyxException(
                        "vector " + i + " has " + copy[i].length + " dimensions, vector 0 has " + copy[0].length);
            }
        }
        return new Embeddings(copy, tokenCounts.clone());
    }

    /** Number of vectors (= number of inputs). */
    public int size() {
        return vectors.length;
    }

    /** Length of each vector; 0 when there are none. */
    public int dimension() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    /** A copy of vector {@code i}. */
    public float[] vector(int i) {
        check(i);
        return vectors[i].clone();
    }

    /** A fresh copy of every vector, owned by the caller. */
    public float[][] toArray() {
        float[][] copy = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            copy[i] = vectors[i].clone();
        }
        return copy;
    }

    /** Tokens the model processed for input {@code i}, special tokens included, after truncation. */
    public int tokenCount(int i) {
        check(i);
        return tokenCounts[i];
    }

    /** Tokens processed for all inputs together: what an API bills as prompt tokens. */
    public long totalTokens() {
        long total = 0;
        for (int n : tokenCounts) total += n;
        return total;
    }

    private void check(int i) {
        if (i < 0 || i >= vectors.length) {
            throw new OnyxException("index " + i + " is outside 0.." + (vectors.length - 1));
        }
    }
}
