package dev.onyx.server.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.OptionalInt;

/** What the server does to a pooled vector before it answers: Matryoshka cut, L2 normalization, base64. Stateless. */
public final class Vectors {
    private Vectors() {}

    /**
     * Keeps the first {@code dimensions} values (all when empty), then L2-normalizes when asked; a fresh array.
     * Cutting before normalizing is the Matryoshka rule: the shorter vector is unit length again.
     */
    public static float[] finish(float[] raw, OptionalInt dimensions, boolean normalize) {
        int n = dimensions.orElse(raw.length);
        float[] out = java.util.Arrays.copyOf(raw, Math.min(n, raw.length));
        if (normalize) {
            double sq = 0;
            for (float x : out) sq += (double) x * x;
            double norm = Math.sqrt(sq);
            if (norm > 0) {
                for (int i = 0; i < out.length; i++) out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }

    /** Little-endian float32, base64: what OpenAI returns for {@code encoding_format=base64}. */
    public static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : vector) bytes.putFloat(x);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
