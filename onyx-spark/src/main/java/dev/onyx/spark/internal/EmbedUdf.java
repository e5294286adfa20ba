package dev.onyx.spark.internal;

import java.io.Serial;
import java.util.Objects;
import org.apache.spark.sql.api.java.UDF1;

/**
 * The {@code onyx_embed(text)} SQL function: one text in, its vector out, null for null; immutable and serializable,
 * with the executor's shared embedder doing the work. Spark calls a UDF row by row, so each call is a batch of one.
 */
public final class EmbedUdf implements UDF1<String, float[]> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String model;
    private final PlainEmbedOptions options;

    public EmbedUdf(String model, PlainEmbedOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public float[] call(String text) {
        return text == null ? null : ExecutorEmbedders.get(model, options).embed(text);
    }
}
