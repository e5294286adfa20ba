package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one {@link Embedder#embed(java.util.List, EmbedRequest)} call asks for beyond the texts; an immutable record,
 * safe to share.
 *
 * @param promptName a prompt of the model, by name (e.g. {@code query}; see {@link Embedder#prompts()}); empty = the
 *     model's default prompt, if it has one
 * @param prompt a literal prompt prepended to every text; wins over {@code promptName} (as in sentence-transformers);
 *     {@code ""} embeds texts exactly as given even when the model has a default prompt
 * @param dimensions Matryoshka truncation: keep the first {@code dimensions} values of each pooled vector, then
 *     re-normalize (when the model normalizes); empty = all
 */
public record EmbedRequest(Optional<String> promptName, Optional<String> prompt, OptionalInt dimensions) {
    public EmbedRequest {
        Objects.requireNonNull(promptName, "promptName");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(dimensions, "dimensions");
        if (dimensions.isPresent() && dimensions.getAsInt() < 1) {
            throw new OnyxException("dimensions must be at least 1, was " + dimensions.getAsInt());
        }
    }

    /** The model's default prompt (if any), all dimensions. */
    public static EmbedRequest defaults() {
        return new EmbedRequest(Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    public EmbedRequest withPromptName(String promptName) {
        return new EmbedRequest(Optional.of(promptName), prompt, dimensions);
    }

    public EmbedRequest withPrompt(String prompt) {
        return new EmbedRequest(promptName, Optional.of(prompt), dimensions);
    }

    public EmbedRequest withDimensions(int dimensions) {
        return new EmbedRequest(promptName, prompt, OptionalInt.of(dimensions));
    }
}
