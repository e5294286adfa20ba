package dev.onyx.embed;

import java.util.Objects;

/**
 * The setters a framework adapter's builder shares, each a step on an {@link EmbedderSpec}; not thread-safe (build on
 * one thread). The LangChain4j and Spring AI builders extend it with their own options and {@code build()}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class EmbedderSpecBuilder<B extends EmbedderSpecBuilder<B>> {
    private EmbedderSpec spec = EmbedderSpec.defaults();

    protected EmbedderSpecBuilder() {}

    /**
     * The model: a catalog name ({@code bge-small-en-v1.5}), a sentence-transformers folder, or a hub repository
     * {@code ORG/NAME}: anything {@code onyx --model} takes.
     *
     * @throws IllegalArgumentException when it is blank (listing the catalog)
     */
    public B model(String model) {
        return spec(spec.withModel(model));
    }

    /** Uses an embedder the caller opened (and keeps owning); {@link #model} and {@link #options} then do not apply. */
    public B embedder(Embedder embedder) {
        return spec(spec.withEmbedder(embedder));
    }

    /** All Onyx options at once (device, long-text policy, batch sizes, threads), replacing those set so far. */
    public B options(EmbedOptions options) {
        return spec(spec.withOptions(options));
    }

    /** The prompt name for queries; default {@code query} when the model has it. */
    public B queryPromptName(String name) {
        return spec(spec.withQueryPromptName(name));
    }

    /** The prompt name for documents; default {@code passage} (or {@code document}) when the model has it. */
    public B documentPromptName(String name) {
        return spec(spec.withDocumentPromptName(name));
    }

    /**
     * Matryoshka truncation for every call: keep the first {@code dimensions} values of each vector (re-normalized).
     *
     * @throws IllegalArgumentException when it is under 1
     */
    public B dimensions(int dimensions) {
        return spec(spec.withDimensions(dimensions));
    }

    /** What has been set so far. */
    protected final EmbedderSpec spec() {
        return spec;
    }

    /** Replaces what has been set so far; returns this builder. */
    @SuppressWarnings("unchecked")
    protected final B spec(EmbedderSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        return (B) this;
    }
}
