package dev.onyx.springai;

import java.util.Optional;
import org.springframework.ai.embedding.EmbeddingOptions;

/**
 * Per-request options of an {@link OnyxEmbeddingModel}: Spring AI's model and dimensions, plus the name of the model
 * prompt to apply (E5's {@code query} / {@code passage}, BGE's {@code query}). An immutable record, safe to share.
 *
 * @param model the model the caller expects, or null for whichever the bean runs (a different name is refused)
 * @param dimensions leading dimensions to keep (Matryoshka truncation, re-normalized), or null for all
 * @param promptName the model prompt to prepend, or null for the model's default for queries
 */
public record OnyxEmbeddingOptions(String model, Integer dimensions, String promptName) implements EmbeddingOptions {
    public OnyxEmbeddingOptions {
        if (dimensions != null && dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be at least 1, was " + dimensions);
        }
    }

    /** Options with only a prompt name set. */
    public static OnyxEmbeddingOptions prompt(String promptName) {
        return new OnyxEmbeddingOptions(null, null, promptName);
    }

    @Override
    public String getModel() {
        return model;
    }

    @Override
    public Integer getDimensions() {
        return dimensions;
    }

    Optional<String> prompt() {
        return Optional.ofNullable(promptName);
    }
}
