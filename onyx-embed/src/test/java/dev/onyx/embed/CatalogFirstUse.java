package dev.onyx.embed;

import java.util.StringJoiner;

/**
 * A process that opens a catalog model the way a library user does, {@code ModelSource.parse(NAME)}, with no carrier
 * on its classpath, and prints the model's source and the vector of a sentence; run by {@link ConcurrentFirstUseTest}.
 */
public final class CatalogFirstUse {
    private CatalogFirstUse() {}

    public static void main(String[] args) throws Exception {
        try (Embedder embedder = Embedder.open(ModelSource.parse(args[0]))) {
            float[] vector = embedder.embed(args[1]);
            StringJoiner line = new StringJoiner(",");
            for (float v : vector) line.add(Float.toString(v));
            System.out.println(embedder.info().source());
            System.out.println(line);
        }
    }
}
