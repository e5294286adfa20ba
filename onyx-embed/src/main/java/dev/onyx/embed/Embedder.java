package dev.onyx.embed;

import dev.onyx.embed.internal.BackgroundLoad;
import dev.onyx.embed.internal.FusedModels;
import dev.onyx.embed.internal.HfTokenizer;
import dev.onyx.embed.internal.InferenceEngine;
import dev.onyx.embed.internal.ModelChecks;
import dev.onyx.embed.internal.ModelDescriptor;
import dev.onyx.embed.internal.ModelPrecisions;
import dev.onyx.embed.internal.ModelSources;
import dev.onyx.embed.internal.ParallelBatches;
import dev.onyx.embed.internal.PoolingKernels;
import dev.onyx.embed.internal.Segments;
import dev.onyx.embed.internal.Sha256;
import dev.onyx.embed.internal.TokenizedText;
import dev.onyx.runtime.CloseGuard;
import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns texts into sentence embeddings: HF tokenizer → ONNX Runtime → mask-aware pooling → optional L2 normalization.
 * Thread-safe: one shared ONNX Runtime session serves concurrent calls. The caller that opens an {@code Embedder} owns
 * it and closes it; {@link #close()} is idempotent and safe from any thread while calls are running: it refuses new
 * calls at once (they throw an {@link OnyxException} saying the embedder is closed) and frees the tokenizer and the
 * sessions only after the running calls have returned.
 *
 * <pre>{@code
 * try (Embedder embedder = Embedder.open(ModelSource.defaultModel())) {
 *     float[] v = embedder.embed("Hello world");                    // 384 floats, unit length
 *     Embeddings all = embedder.embed(List.of("one", "two"));       // batched, input order
 * }
 * }</pre>
 */
public final class Embedder implements AutoCloseable {
    private static final String PROBE_TEXT = "Onyx health probe.";

    private final ModelDescriptor descriptor;
    private final EmbedOptions options;
    private final OnnxModel model;
    private final HfTokenizer tokenizer;
    private final InferenceEngine engine;
    private final Pooling pooling;
    private final boolean normalize;
    private final int maxTokens;
    private final int dimension;
    private final CloseGuard guard;
    private final String graph;
    private final Path runtimeFile;
    private final ParallelBatches batches;
    private volatile FileFacts fileFacts; // read from the model file on the first info()

    private Embedder(ModelDescriptor descriptor, EmbedOptions options, FusedModels.Loaded loaded, HfTokenizer tokenizer)
            throws InvalidModelException {
        this.descriptor = descriptor;
        this.options = options;
        this.model = loaded.model();
        this.graph = loaded.graph();
        this.runtimeFile = loaded.file();
        this.tokenizer = tokenizer;
        this.guard = new CloseGuard("embedder for " + descriptor.name());
        this.pooling = options.pooling().orElse(descriptor.pooling());
        this.normalize = options.normalize().orElse(descriptor.normalize());
        this.maxTokens = options.maxTokens().orElse(descriptor.maxTokens());
        this.engine = new InferenceEngine(model, pooling, descriptor.onnxFile().toString());
        this.batches = new ParallelBatches(
                runtimeFile,
                options.runtime(),
                pooling,
                descriptor.onnxFile().toString(),
                ParallelBatches.workersFor(options.runtime(), model.device()));
        checkVocabulary();
        this.dimension = resolveDimension();
        if (options.warmUp()) {
            embed(List.of(PROBE_TEXT));
        }
    }

    /** Opens the model with default options (its own pooling and length, AUTO device with CPU fallback). */
    public static Embedder open(ModelSource source) throws IOException {
        return open(source, EmbedOptions.defaults());
    }

    /**
     * Opens a model.
     *
     * @throws InvalidModelException when a model file is missing, corrupt, or does not fit its tokenizer
     * @throws IOException when files cannot be read
     * @throws OnyxException when the options are inconsistent with the model, or a strict device is unavailable
     */
    public static Embedder open(ModelSource source, EmbedOptions options) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        ModelDescriptor descriptor = ModelSources.resolve(source);
        // The tokenizer (native library, JSON) loads while ONNX Runtime builds the session: a cold open overlaps both.
        BackgroundLoad<HfTokenizer> tokenizerLoad =
                BackgroundLoad.start("onyx-tokenizer-load", () -> HfTokenizer.load(descriptor));
        FusedModels.Loaded model;
        try {
            model = FusedModels.load(descriptor.onnxFile(), options.runtime(), options.graphFusion());
        } catch (IOException | RuntimeException e) {
            tokenizerLoad.discard();
            throw e;
        }
        try {
            HfTokenizer tokenizer = tokenizerLoad.join();
            try {
                return new Embedder(descriptor, options, model, tokenizer);
            } catch (IOException | RuntimeException e) {
                tokenizer.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            model.model().close();
            throw e;
        }
    }

    private void checkVocabulary() throws InvalidModelException {
        ModelChecks.vocabulary(descriptor, tokenizer.maxTokenId(), engine);
    }

    private int resolveDimension() {
        long declared = engine.declaredDimension();
        if (declared > 0) {
            return Math.toIntExact(declared);
        }
        return engine.runBatch(List.of(new long[] {0}), new int[] {0})[0].length;
    }

    /** Embeds one text. */
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        return embed(List.of(text)).vector(0);
    }

    /**
     * Embeds texts in length-sorted, token-bounded batches and returns their vectors in input order.
     *
     * @throws NullPointerException naming the index of a null text
     * @throws InputTooLongException under {@link LongTextPolicy#ERROR}, for the first text over the maximum length
     */
    public Embeddings embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new NullPointerException("texts[" + i + "] is null");
            }
        }
        try (CloseGuard.Lease lease = guard.acquire()) {
            if (texts.isEmpty()) {
                return new Embeddings(new float[0][], new int[0]);
            }
            return embedTokenized(tokenizer.encode(texts));
        }
    }

    private Embeddings embedTokenized(List<TokenizedText> tokenized) {
        Segments segments = Segments.of(tokenized, maxTokens, options.longTextPolicy());
        float[][] pooled =
                batches.pooled(segments.sequences(), options.maxBatchSize(), options.maxBatchTokens(), engine);
        return new Embeddings(segments.combine(pooled, dimension, normalize), segments.tokenCounts());
    }

    /** The word pieces of a text, special tokens included, untruncated. */
    public List<String> tokens(String text) {
        Objects.requireNonNull(text, "text");
        try (CloseGuard.Lease lease = guard.acquire()) {
            return tokenizer.tokens(text);
        }
    }

    /**
     * The token ids the model is fed for a text: special tokens included, truncated to {@link #maxTokens()} by the HF
     * rule (under {@link LongTextPolicy#TRUNCATE}; the untruncated ids otherwise). A fresh array.
     */
    public long[] tokenIds(String text) {
        Objects.requireNonNull(text, "text");
        TokenizedText tokenized;
        try (CloseGuard.Lease lease = guard.acquire()) {
            tokenized = tokenizer.encode(List.of(text)).get(0);
        }
        return options.longTextPolicy() == LongTextPolicy.TRUNCATE
                ? tokenized.truncated(maxTokens).clone()
                : tokenized.ids().clone();
    }

    /** Number of tokens a text becomes, special tokens included, before truncation. */
    public int countTokens(String text) {
        Objects.requireNonNull(text, "text");
        try (CloseGuard.Lease lease = guard.acquire()) {
            return tokenizer.encode(List.of(text)).get(0).length();
        }
    }

    /**
     * A text's tokens with their places in the text, untruncated: what TEI's {@code /tokenize} answers. Special tokens
     * ({@code [CLS]}, {@code [SEP]}) only when {@code addSpecialTokens}; with them, the ids equal {@link
     * #tokenIds(String)}'s for a text that needs no truncation.
     */
    public List<Token> tokenize(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        try (CloseGuard.Lease lease = guard.acquire()) {
            return tokenizer.detailed(text, addSpecialTokens);
        }
    }

    /**
     * The text token ids stand for, as the model's tokenizer decodes them (word pieces joined); special tokens are left
     * out when {@code skipSpecialTokens}.
     *
     * @throws OnyxException naming the first id outside {@code 0..}{@link #maxTokenId()}
     */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        Objects.requireNonNull(ids, "ids");
        try (CloseGuard.Lease lease = guard.acquire()) {
            checkIds(ids, "ids");
            return tokenizer.decode(ids, skipSpecialTokens);
        }
    }

    /**
     * The model's output vector for every token of one input (its last hidden state; no pooling, no normalization),
     * {@code [tokens][hidden]}: what TEI's {@code /embed_all} answers. The ids are fed as given, as by {@link
     * #embedTokenIds}.
     *
     * @throws OnyxException when the ids are empty, longer than {@link #maxTokens()}, or one is outside {@code
     *     0..}{@link #maxTokenId()}
     */
    public float[][] tokenEmbeddings(long[] ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.length == 0 || ids.length > maxTokens) {
            throw new OnyxException("ids has " + ids.length + " token ids; allowed are 1 to " + maxTokens);
        }
        try (CloseGuard.Lease lease = guard.acquire()) {
            checkIds(ids, "ids");
            return engine.tokenVectors(ids);
        }
    }

    private void checkIds(long[] ids, String name) {
        ModelChecks.ids(ids, name, tokenizer.maxTokenId());
    }

    /** Length of each vector, read from the model's output shape. */
    public int dimension() {
        return dimension;
    }

    /** Truncation length in tokens, special tokens included. */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * What this embedder runs. Computes the model file's SHA-256 and reads its graph for the precision on first call (a
     * fraction of a second).
     */
    public ModelInfo info() {
        FileFacts facts = fileFacts;
        if (facts == null) {
            facts = new FileFacts(Sha256.ofFile(descriptor.onnxFile()), ModelPrecisions.of(descriptor.onnxFile()));
            fileFacts = facts;
        }
        return new ModelInfo(
                descriptor.name(),
                descriptor.source(),
                dimension,
                maxTokens,
                pooling,
                normalize,
                model.deviceSelection().requested(),
                model.device(),
                facts.sha256(),
                graph,
                runtimeFile.toString(),
                facts.precision().precision(),
                facts.precision().int8Origin());
    }

    /** Embeds a probe text and checks its dimension and norm; never throws. */
    public Health health() {
        long start = System.nanoTime();
        try {
            float[] v = embed(PROBE_TEXT);
            double sq = 0;
            for (float x : v) sq += (double) x * x;
            double norm = Math.sqrt(sq);
            long millis = (System.nanoTime() - start) / 1_000_000;
            boolean normOk = Double.isFinite(norm) && (normalize ? Math.abs(norm - 1) < 1e-3 : norm > 0);
            if (v.length != dimension || !normOk) {
                return new Health(
                        false,
                        "probe embedding has dimension " + v.length + " (expected " + dimension + ") and norm " + norm,
                        millis);
            }
            return new Health(true, "probe embedding ok on " + model.device().label(), millis);
        } catch (RuntimeException e) {
            return new Health(
                    false, "probe embedding failed: " + e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Embeds texts with a prompt and Matryoshka dimensions, following sentence-transformers' {@code encode}: a literal
     * {@link EmbedRequest#prompt()} wins, else the named prompt, else the model's default prompt (if any); the prompt is
     * prepended to every text and counts in {@link Embeddings#tokenCount(int)}. With {@link
     * EmbedRequest#dimensions()}, each vector keeps its first values and is re-normalized when the model normalizes.
     * For int8/binary output, pass the result to {@link QuantizedEmbeddings#of(Embeddings, Precision)}.
     *
     * @throws OnyxException for an unknown prompt name (listing the model's prompts) or more dimensions than the model
     *     has
     */
    public Embeddings embed(List<String> texts, EmbedRequest request) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(request, "request");
        String prompt =
                PromptedTexts.prompt(request, descriptor.prompts(), descriptor.defaultPromptName(), descriptor.name());
        int dims = request.dimensions().orElse(dimension);
        if (dims > dimension) {
            throw new OnyxException("dimensions " + dims + " is more than model " + descriptor.name() + " has ("
                    + dimension + "); allowed: 1.." + dimension);
        }
        Embeddings full = embed(PromptedTexts.prepend(prompt, texts));
        return dims == dimension ? full : PromptedTexts.truncate(full, dims, normalize);
    }

    /** The model's prompts by name (from the catalog or {@code config_sentence_transformers.json}); may be empty. */
    public Map<String, String> prompts() {
        return descriptor.prompts();
    }

    /** The prompt applied when a request names none ({@code default_prompt_name}), if the model has one. */
    public Optional<String> defaultPromptName() {
        return descriptor.defaultPromptName();
    }

    /**
     * Refuses new calls, waits up to {@link CloseGuard#defaultTimeout()} (30 s; system property {@code
     * onyx.close.timeoutMillis}) for the running ones, then releases the tokenizer and the ONNX Runtime sessions.
     * Idempotent and safe from any thread. Called on a thread that is itself inside a call of this embedder, it returns
     * at once and the release happens when that call returns.
     *
     * @throws OnyxException when calls are still running at the deadline; nothing is freed under them (the release then
     *     happens when the last returns)
     */
    @Override
    public void close() {
        close(CloseGuard.defaultTimeout());
    }

    /** As {@link #close()}, waiting at most {@code maxWait} for running calls. */
    public void close(Duration maxWait) {
        guard.close(maxWait, () -> {
            tokenizer.close();
            batches.close();
            model.close(maxWait);
        });
    }

    /**
     * Embeds inputs that are already token ids, as {@link #tokenIds(String)} returns them (special tokens included), so a
     * caller that tokenized once, for example a server that counts and budgets tokens per request, does not tokenize
     * twice. Each array is fed as given, without truncation; the arrays are not changed.
     *
     * @param ids one array of token ids per input
     * @param normalize whether to L2-normalize the pooled vectors; {@code info().normalize()} is the model's own choice
     * @throws OnyxException naming the input that is empty, longer than {@link #maxTokens()}, or holds an id outside
     *     {@code 0..}{@link #maxTokenId()}
     */
    public Embeddings embedTokenIds(List<long[]> ids, boolean normalize) {
        Objects.requireNonNull(ids, "ids");
        try (CloseGuard.Lease lease = guard.acquire()) {
            return embedIds(ids, normalize);
        }
    }

    private Embeddings embedIds(List<long[]> ids, boolean normalize) {
        int[] tokenCounts = ModelChecks.rows(ids, maxTokens, tokenizer.maxTokenId());
        float[][] pooled = batches.pooled(ids, options.maxBatchSize(), options.maxBatchTokens(), engine);
        if (normalize) {
            for (float[] v : pooled) PoolingKernels.normalize(v);
        }
        return new Embeddings(pooled, tokenCounts);
    }

    /** The largest token id this model's tokenizer produces, and so the largest {@link #embedTokenIds} accepts. */
    public long maxTokenId() {
        return tokenizer.maxTokenId();
    }

    private record FileFacts(String sha256, ModelPrecisions.Facts precision) {}
}
