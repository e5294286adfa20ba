package dev.onyx.embed;

import dev.onyx.embed.internal.Catalog;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * What a retrieval framework's embedding model is made of: which model (or an embedder the caller opened), Onyx's
 * {@link EmbedOptions}, which prompts queries and documents get, and an optional Matryoshka truncation; an immutable
 * record, safe to share. The LangChain4j and Spring AI adapters' builders are thin wrappers over it, so both accept and
 * refuse the same settings with the same messages.
 *
 * <p>{@link #open()} resolves it against the real model: it opens the model (unless {@link #embedder()} is set),
 * checks the prompt names and dimensions against it, and closes what it opened when a check fails.
 *
 * @param model a catalog name, a sentence-transformers folder or a hub repository {@code ORG/NAME} (what {@code onyx
 *     --model} takes); empty = the bundled all-MiniLM-L6-v2 (or {@link #embedder()})
 * @param embedder an embedder the caller opened and keeps owning; when set, {@link #model()} and {@link #options()} do
 *     not apply
 * @param options how the model runs when this spec opens it
 * @param queryPromptName the prompt for queries; empty = {@code query} when the model has it
 * @param documentPromptName the prompt for documents; empty = {@code passage} (or {@code document}) when the model has it
 * @param dimensions keep the first {@code dimensions} values of each vector (re-normalized); empty = all
 */
public record EmbedderSpec(
        Optional<String> model,
        Optional<Embedder> embedder,
        EmbedOptions options,
        Optional<String> queryPromptName,
        Optional<String> documentPromptName,
        Optional<Integer> dimensions) {

    /**
     * @throws IllegalArgumentException when a name is blank or {@code dimensions} is under 1 (an {@link OnyxException}
     *     would be the house style, but the adapters' builders have always thrown this one for these)
     */
    public EmbedderSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(queryPromptName, "queryPromptName");
        Objects.requireNonNull(documentPromptName, "documentPromptName");
        Objects.requireNonNull(dimensions, "dimensions");
        if (model.isPresent() && model.get().isBlank()) {
            throw new IllegalArgumentException("model must not be blank; allowed: a catalog name " + Catalog.names()
                    + ", a model folder, or a hub repository ORG/NAME");
        }
        checkName("queryPromptName", queryPromptName);
        checkName("documentPromptName", documentPromptName);
        if (dimensions.isPresent() && dimensions.get() < 1) {
            throw new IllegalArgumentException("dimensions must be at least 1, was " + dimensions.get()
                    + "; allowed: 1 up to the model's dimension");
        }
    }

    /** The bundled all-MiniLM-L6-v2 with Onyx's default options, its own prompts and all its dimensions. */
    public static EmbedderSpec defaults() {
        return new EmbedderSpec(
                Optional.empty(),
                Optional.empty(),
                EmbedOptions.defaults(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    public EmbedderSpec withModel(String model) {
        Objects.requireNonNull(model, "model");
        return new EmbedderSpec(Optional.of(model), embedder, options, queryPromptName, documentPromptName, dimensions);
    }

    /** Uses an embedder the caller opened (and keeps owning: {@link Opened#close()} leaves it open). */
    public EmbedderSpec withEmbedder(Embedder embedder) {
        Objects.requireNonNull(embedder, "embedder");
        return new EmbedderSpec(model, Optional.of(embedder), options, queryPromptName, documentPromptName, dimensions);
    }

    public EmbedderSpec withOptions(EmbedOptions options) {
        return new EmbedderSpec(model, embedder, options, queryPromptName, documentPromptName, dimensions);
    }

    public EmbedderSpec withQueryPromptName(String name) {
        Objects.requireNonNull(name, "name");
        return new EmbedderSpec(model, embedder, options, Optional.of(name), documentPromptName, dimensions);
    }

    public EmbedderSpec withDocumentPromptName(String name) {
        Objects.requireNonNull(name, "name");
        return new EmbedderSpec(model, embedder, options, queryPromptName, Optional.of(name), dimensions);
    }

    public EmbedderSpec withDimensions(int dimensions) {
        return new EmbedderSpec(model, embedder, options, queryPromptName, documentPromptName, Optional.of(dimensions));
    }

    /**
     * The embedder resolved from a spec, with the prompt roles and dimensions checked against it; thread-safe as its
     * embedder is.
     *
     * @param embedder the embedder to run
     * @param owned whether {@link EmbedderSpec#open()} opened it (then {@link #close()} closes it)
     * @param prompts the prompt each role gets
     * @param dimensions the truncation, at most the model's dimension
     */
    public record Opened(Embedder embedder, boolean owned, PromptRoles prompts, Optional<Integer> dimensions)
            implements AutoCloseable {
        public Opened {
            Objects.requireNonNull(embedder, "embedder");
            Objects.requireNonNull(prompts, "prompts");
            Objects.requireNonNull(dimensions, "dimensions");
        }

        /** The vector length calls return by default. */
        public int dimension() {
            return dimensions.orElse(embedder.dimension());
        }

        /** Closes the embedder when the spec opened it; idempotent. A caller's embedder is left open. */
        @Override
        public void close() {
            if (owned) {
                embedder.close();
            }
        }
    }

    /**
     * Opens the model (resolving and loading it now, so configuration errors surface here) and checks the prompt names
     * and dimensions against it; on a failed check the model it opened is closed again.
     *
     * @throws UncheckedIOException when the model files cannot be read
     * @throws OnyxException naming the bad setting: both a model and an embedder, an unknown model, a prompt the model
     *     does not have (listing those it has), dimensions over the model's
     */
    public Opened open() {
        if (embedder.isPresent() && model.isPresent()) {
            throw new OnyxException("set either a model ('" + model.get() + "') or an embedder, not both");
        }
        Embedder opened = embedder.orElseGet(this::openModel);
        boolean owned = embedder.isEmpty();
        try {
            if (dimensions.isPresent() && dimensions.get() > opened.dimension()) {
                throw new OnyxException("dimensions " + dimensions.get() + " is more than model "
                        + opened.info().name() + " has (" + opened.dimension() + "); allowed: 1.."
                        + opened.dimension());
            }
            PromptRoles prompts = PromptRoles.of(opened, queryPromptName, documentPromptName);
            return new Opened(opened, owned, prompts, dimensions);
        } catch (RuntimeException e) {
            if (owned) {
                opened.close();
            }
            throw e;
        }
    }

    private Embedder openModel() {
        ModelSource source = model.map(ModelSource::parse).orElse(ModelSource.defaultModel());
        try {
            return Embedder.open(source, options);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open model " + model.orElse("(bundled default)") + ": " + e.getMessage(), e);
        }
    }

    private static void checkName(String what, Optional<String> name) {
        if (name.isPresent() && name.get().isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank; allowed: one of the model's prompt names");
        }
    }
}
