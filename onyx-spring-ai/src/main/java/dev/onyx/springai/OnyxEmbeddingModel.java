package dev.onyx.springai;

import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.EmbedderSpec;
import dev.onyx.embed.EmbedderSpecBuilder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.PromptRoles;
import dev.onyx.runtime.OnyxException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.AbstractEmbeddingModel;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * Spring AI's {@link org.springframework.ai.embedding.EmbeddingModel} backed by an Onyx {@link Embedder} in this
 * process; thread-safe (one shared ONNX Runtime session), and the owner of the embedder it opened: {@link #close()}
 * releases it.
 *
 * <p>Spring AI embeds documents through {@link #embed(Document)} and {@link #embed(List, EmbeddingOptions,
 * BatchingStrategy)} (what a {@code VectorStore} calls on {@code add}) and queries through {@link #call} (what it calls
 * on {@code similaritySearch}). For models trained with instructions, documents therefore get the model's document
 * prompt (E5: {@code passage}) and plain calls its query prompt (E5 and BGE: {@code query}), unless {@link
 * OnyxEmbeddingOptions#promptName()} names another. Each call is one {@link Embedder#embed(List, EmbedRequest)}:
 * length-sorted batches, input order kept, the real token count in the response's usage.
 */
public final class OnyxEmbeddingModel extends AbstractEmbeddingModel implements AutoCloseable {
    private final Embedder embedder;
    private final boolean owned;
    private final PromptRoles roles;
    private final Optional<Integer> dimensions;
    private final EmbeddingObserver observer;
    private final MetadataMode metadataMode;

    private OnyxEmbeddingModel(Builder b, EmbedderSpec.Opened opened) {
        this.embedder = opened.embedder();
        this.owned = opened.owned();
        this.roles = opened.prompts();
        this.dimensions = opened.dimensions();
        this.observer = b.observer;
        this.metadataMode = b.metadataMode;
    }

    /** A builder for the bundled all-MiniLM-L6-v2 with Onyx's default options; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The embedder behind this model (for {@link Embedder#info()} and {@link Embedder#health()}). */
    public Embedder embedder() {
        return embedder;
    }

    /** The catalog name of the model, or the folder / hub repository it came from. */
    public String modelName() {
        return embedder.info().name();
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        EmbeddingOptions options = request.getOptions();
        Optional<String> prompt = options instanceof OnyxEmbeddingOptions onyx ? onyx.prompt() : Optional.empty();
        return run(request.getInstructions(), options, prompt, true);
    }

    @Override
    public float[] embed(Document document) {
        Objects.requireNonNull(document, "document");
        return run(List.of(document.getFormattedContent(metadataMode)), null, Optional.empty(), false)
                .getResult()
                .getOutput();
    }

    @Override
    public List<float[]> embed(List<Document> documents, EmbeddingOptions options, BatchingStrategy batchingStrategy) {
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(batchingStrategy, "batchingStrategy");
        Optional<String> prompt = options instanceof OnyxEmbeddingOptions onyx ? onyx.prompt() : Optional.empty();
        List<float[]> vectors = new ArrayList<>(documents.size());
        for (List<Document> batch : batchingStrategy.batch(documents)) {
            List<String> texts =
                    batch.stream().map(d -> d.getFormattedContent(metadataMode)).toList();
            for (Embedding e : run(texts, options, prompt, false).getResults()) {
                vectors.add(e.getOutput());
            }
        }
        return vectors;
    }

    /** The vector length, known without running an inference. */
    @Override
    public int dimensions() {
        return dimensions.orElse(embedder.dimension());
    }

    /** Closes the embedder when this model opened it; idempotent. A wrapped embedder is left open. */
    @Override
    public void close() {
        if (owned) {
            embedder.close();
        }
    }

    private EmbeddingResponse run(
            List<String> texts, EmbeddingOptions options, Optional<String> promptName, boolean isQuery) {
        Objects.requireNonNull(texts, "texts");
        String model = options == null ? null : options.getModel();
        if (model != null && !model.equals(modelName())) {
            throw new IllegalArgumentException(
                    "model '" + model + "' was requested, but this embedding model runs '" + modelName() + "'");
        }
        Integer dims =
                options == null || options.getDimensions() == null ? dimensions.orElse(null) : options.getDimensions();
        EmbedRequest request = roles.request(isQuery, Optional.ofNullable(dims));
        if (promptName.isPresent()) {
            request = request.withPromptName(promptName.get());
        }
        if (texts.isEmpty()) {
            return new EmbeddingResponse(
                    List.of(), new EmbeddingResponseMetadata(modelName(), new DefaultUsage(0, 0, 0)));
        }
        long start = System.nanoTime();
        Embeddings out = embedder.embed(texts, request);
        observer.embedded(out.size(), out.totalTokens(), System.nanoTime() - start);
        List<Embedding> results = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            results.add(new Embedding(out.vector(i), i));
        }
        int tokens = Math.toIntExact(out.totalTokens());
        return new EmbeddingResponse(
                results, new EmbeddingResponseMetadata(modelName(), new DefaultUsage(tokens, 0, tokens)));
    }

    /**
     * Options for an {@link OnyxEmbeddingModel}: those every Onyx adapter shares ({@link EmbedderSpecBuilder}), the
     * observer and the metadata mode; not thread-safe (build on one thread).
     */
    public static final class Builder extends EmbedderSpecBuilder<Builder> {
        private EmbeddingObserver observer = EmbeddingObserver.NONE;
        private MetadataMode metadataMode = MetadataMode.EMBED;

        private Builder() {}

        public Builder observer(EmbeddingObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Which document metadata goes into the embedded text; Spring AI's default {@code EMBED}. */
        public Builder metadataMode(MetadataMode metadataMode) {
            this.metadataMode = Objects.requireNonNull(metadataMode, "metadataMode");
            return this;
        }

        /**
         * Opens the model now, so that configuration errors surface at startup; see {@link EmbedderSpec#open()}.
         *
         * @throws UncheckedIOException when the model files cannot be read
         * @throws OnyxException naming the bad option (unknown model, prompt, dimensions over the model's)
         */
        public OnyxEmbeddingModel build() {
            return new OnyxEmbeddingModel(this, spec().open());
        }
    }
}
