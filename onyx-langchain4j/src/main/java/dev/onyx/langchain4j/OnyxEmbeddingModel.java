package dev.onyx.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.embedding.response.EmbeddingResponseMetadata;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.EmbedderSpec;
import dev.onyx.embed.EmbedderSpecBuilder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.LongTextPolicy;
import dev.onyx.embed.PromptRoles;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * LangChain4j's {@link EmbeddingModel} backed by an Onyx {@link Embedder} in this process; thread-safe (one shared
 * ONNX Runtime session), and the owner of the embedder it opened: {@link #close()} releases it.
 *
 * <p>{@link #embedAll} sends all segments through one {@link Embedder#embed(List, EmbedRequest)} call (length-sorted,
 * token-bounded batches), so the segments' order is kept and the {@link Response} carries the real token count. Texts
 * are truncated at the model's own maximum length (256 tokens for all-MiniLM-L6-v2, 512 for BGE and E5), or chunked
 * or refused as the {@linkplain Builder#longTextPolicy long-text policy} says.
 *
 * <p>Prompts: models trained with instructions (E5's {@code query: } / {@code passage: }, BGE's query instruction) get
 * the query prompt for requests whose {@link EmbeddingInputType} is {@code QUERY} and for every call on the view
 * {@link #queries()}, and the document prompt otherwise. Pass {@code model.queries()} to a content retriever and the
 * model itself to an ingestor.
 */
public final class OnyxEmbeddingModel implements EmbeddingModel, AutoCloseable {
    private static final Set<EmbeddingParameter<?>> SUPPORTED = Set.of(
            EmbeddingRequestParameters.MODEL_NAME,
            EmbeddingRequestParameters.DIMENSIONS,
            EmbeddingRequestParameters.INPUT_TYPE);

    private final Embedder embedder;
    private final boolean owned;
    private final PromptRoles prompts;
    private final Optional<Integer> dimensions;
    private final boolean queryView;

    private OnyxEmbeddingModel(
            Embedder embedder, boolean owned, PromptRoles prompts, Optional<Integer> dimensions, boolean queryView) {
        this.embedder = embedder;
        this.owned = owned;
        this.prompts = prompts;
        this.dimensions = dimensions;
        this.queryView = queryView;
    }

    /** A builder for the bundled all-MiniLM-L6-v2 on the best available device; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A view of this model that embeds every text as a query (the model's query prompt, when it has one); it shares
     * this model's embedder and closing it does nothing.
     */
    public OnyxEmbeddingModel queries() {
        return new OnyxEmbeddingModel(embedder, false, prompts, dimensions, true);
    }

    /** The embedder behind this model (for {@link Embedder#info()} and {@link Embedder#health()}). */
    public Embedder embedder() {
        return embedder;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
        Objects.requireNonNull(textSegments, "textSegments");
        List<String> texts = new ArrayList<>(textSegments.size());
        for (int i = 0; i < textSegments.size(); i++) {
            TextSegment segment = textSegments.get(i);
            if (segment == null) {
                throw new IllegalArgumentException("textSegments[" + i + "] is null");
            }
            texts.add(segment.text());
        }
        Result result = run(texts, queryView ? EmbeddingInputType.QUERY : null, dimensions.orElse(null));
        return Response.from(result.embeddings(), result.usage());
    }

    @Override
    public EmbeddingResponse doEmbed(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        String requestedModel = request.modelName();
        if (requestedModel != null && !requestedModel.equals(modelName())) {
            throw new IllegalArgumentException("model '" + requestedModel + "' was requested, but this "
                    + "OnyxEmbeddingModel runs '" + modelName() + "'; build another OnyxEmbeddingModel for it");
        }
        List<String> texts = new ArrayList<>(request.inputs().size());
        for (EmbeddingInput input : request.inputs()) {
            texts.add(input.text());
        }
        EmbeddingInputType type = queryView ? EmbeddingInputType.QUERY : request.inputType();
        Integer dims = request.dimensions() != null ? request.dimensions() : dimensions.orElse(null);
        Result result = run(texts, type, dims);
        return EmbeddingResponse.builder()
                .embeddings(result.embeddings())
                .metadata(EmbeddingResponseMetadata.builder()
                        .modelName(modelName())
                        .tokenUsage(result.usage())
                        .build())
                .build();
    }

    @Override
    public EmbeddingRequestParameters defaultRequestParameters() {
        return EmbeddingRequestParameters.builder()
                .modelName(modelName())
                .dimensions(dimension())
                .inputType(queryView ? EmbeddingInputType.QUERY : EmbeddingInputType.DOCUMENT)
                .build();
    }

    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
        return SUPPORTED;
    }

    /** The vector length this model returns, known without running an inference. */
    @Override
    public int dimension() {
        return dimensions.orElse(embedder.dimension());
    }

    /** The catalog name of the model, or the folder / hub repository it came from. */
    @Override
    public String modelName() {
        return embedder.info().name();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** Closes the embedder when this model opened it; idempotent. Views and wrapped embedders are left open. */
    @Override
    public void close() {
        if (owned) {
            embedder.close();
        }
    }

    private record Result(List<Embedding> embeddings, TokenUsage usage) {}

    private Result run(List<String> texts, EmbeddingInputType type, Integer dims) {
        if (texts.isEmpty()) {
            return new Result(List.of(), new TokenUsage(0));
        }
        Embeddings out =
                embedder.embed(texts, prompts.request(type == EmbeddingInputType.QUERY, Optional.ofNullable(dims)));
        List<Embedding> embeddings = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            embeddings.add(Embedding.from(out.vector(i)));
        }
        return new Result(embeddings, new TokenUsage(Math.toIntExact(out.totalTokens())));
    }

    /**
     * Options for an {@link OnyxEmbeddingModel}: those every Onyx adapter shares ({@link EmbedderSpecBuilder}) and the
     * device / long-text / batch / thread shortcuts below; not thread-safe (build on one thread). Unset options mean
     * what Onyx does by default: the bundled all-MiniLM-L6-v2, the best available device with CPU fallback, truncation at the
     * model's maximum length, batches of 16 texts.
     */
    public static final class Builder extends EmbedderSpecBuilder<Builder> {
        private Builder() {}

        /** The device ({@code auto}, {@code cpu}, {@code cuda}, {@code coreml}, {@code directml}). */
        public Builder device(String device) {
            return device(Device.parse(device));
        }

        public Builder device(Device device) {
            return runtime(spec().options().runtime().withDevice(device));
        }

        /** Fail instead of falling back to the CPU when the device cannot be used. */
        public Builder strictDevice(boolean strictDevice) {
            return runtime(spec().options().runtime().withStrictDevice(strictDevice));
        }

        public Builder longTextPolicy(LongTextPolicy policy) {
            return options(spec().options().withLongTextPolicy(policy));
        }

        public Builder maxBatchSize(int maxBatchSize) {
            return options(spec().options().withMaxBatchSize(maxBatchSize));
        }

        /** ONNX Runtime intra-op threads; 0 means one per processor. */
        public Builder intraOpThreads(int threads) {
            return runtime(spec().options().runtime().withIntraOpThreads(threads));
        }

        /**
         * Opens the model (resolving and loading it now, so configuration errors surface here); see {@link
         * EmbedderSpec#open()}.
         *
         * @throws UncheckedIOException when the model files cannot be read
         * @throws OnyxException naming the bad option (unknown model, prompt, dimensions over the model's)
         */
        public OnyxEmbeddingModel build() {
            EmbedderSpec.Opened opened = spec().open();
            return new OnyxEmbeddingModel(
                    opened.embedder(), opened.owned(), opened.prompts(), opened.dimensions(), false);
        }

        private Builder runtime(RuntimeOptions runtime) {
            return options(spec().options().withRuntime(runtime));
        }
    }
}
