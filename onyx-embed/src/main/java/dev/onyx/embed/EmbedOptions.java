package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * How an {@link Embedder} runs; an immutable record, safe to share. Empty optionals mean "what the model declares".
 *
 * @param pooling pooling override; empty = the model's own (from {@code 1_Pooling/config.json} or the catalog)
 * @param normalize L2 normalization override; empty = the model's own (on for every catalog model)
 * @param maxTokens truncation length override, with special tokens; empty = the model's {@code max_seq_length}
 * @param longTextPolicy what to do with texts over the maximum length
 * @param maxBatchSize most texts in one inference batch
 * @param maxBatchTokens most tokens (rows × padded length) in one inference batch
 * @param runtime ONNX Runtime session options (device, threads, optimization level)
 * @param warmUp whether opening runs one probe inference so the first real call is not slow
 * @param graphFusion whether a BERT-style graph runs on ONNX Runtime's fused Attention and SkipLayerNormalization
 *     operators (CPU only; checked against the exported graph before first use, see {@code Embedder.open})
 */
public record EmbedOptions(
        Optional<Pooling> pooling,
        Optional<Boolean> normalize,
        OptionalInt maxTokens,
        LongTextPolicy longTextPolicy,
        int maxBatchSize,
        int maxBatchTokens,
        RuntimeOptions runtime,
        boolean warmUp,
        boolean graphFusion) {

    public EmbedOptions {
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(normalize, "normalize");
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(longTextPolicy, "longTextPolicy");
        Objects.requireNonNull(runtime, "runtime");
        if (maxTokens.isPresent() && (maxTokens.getAsInt() < 3 || maxTokens.getAsInt() > 1_000_000)) {
            throw new OnyxException("maxTokens must be between 3 and 1000000, was " + maxTokens.getAsInt());
        }
        if (maxBatchSize < 1 || maxBatchSize > 65_536) {
            throw new OnyxException("maxBatchSize must be between 1 and 65536, was " + maxBatchSize);
        }
        if (maxBatchTokens < 1) {
            throw new OnyxException("maxBatchTokens must be at least 1, was " + maxBatchTokens);
        }
    }

    /**
     * The model's own pooling, normalization and length; batches of up to 16 texts and 1,024 tokens (on a 2-core x86
     * CPU, 64/4,096 ran 8–10 % slower: the activations of smaller batches stay in the core's cache); warm-up on; graph
     * fusion on.
     */
    public static EmbedOptions defaults() {
        return new EmbedOptions(
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty(),
                LongTextPolicy.TRUNCATE,
                16,
                1_024,
                RuntimeOptions.defaults(),
                true,
                true);
    }

    public EmbedOptions withPooling(Pooling pooling) {
        return edit(d -> d.pooling = Optional.of(pooling));
    }

    public EmbedOptions withNormalize(boolean normalize) {
        return edit(d -> d.normalize = Optional.of(normalize));
    }

    public EmbedOptions withMaxTokens(int maxTokens) {
        return edit(d -> d.maxTokens = OptionalInt.of(maxTokens));
    }

    public EmbedOptions withLongTextPolicy(LongTextPolicy longTextPolicy) {
        return edit(d -> d.longTextPolicy = longTextPolicy);
    }

    public EmbedOptions withMaxBatchSize(int maxBatchSize) {
        return edit(d -> d.maxBatchSize = maxBatchSize);
    }

    public EmbedOptions withMaxBatchTokens(int maxBatchTokens) {
        return edit(d -> d.maxBatchTokens = maxBatchTokens);
    }

    public EmbedOptions withRuntime(RuntimeOptions runtime) {
        return edit(d -> d.runtime = runtime);
    }

    public EmbedOptions withWarmUp(boolean warmUp) {
        return edit(d -> d.warmUp = warmUp);
    }

    /** Turns the fused-graph rewrite on (the default) or off; off runs the ONNX file exactly as exported. */
    public EmbedOptions withGraphFusion(boolean graphFusion) {
        return edit(d -> d.graphFusion = graphFusion);
    }

    /** A copy with one change; the canonical constructor checks the result. */
    private EmbedOptions edit(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new EmbedOptions(
                d.pooling,
                d.normalize,
                d.maxTokens,
                d.longTextPolicy,
                d.maxBatchSize,
                d.maxBatchTokens,
                d.runtime,
                d.warmUp,
                d.graphFusion);
    }

    /** The fields of options being edited; lives only inside {@link #edit}. */
    private static final class Draft {
        Optional<Pooling> pooling;
        Optional<Boolean> normalize;
        OptionalInt maxTokens;
        LongTextPolicy longTextPolicy;
        int maxBatchSize;
        int maxBatchTokens;
        RuntimeOptions runtime;
        boolean warmUp;
        boolean graphFusion;

        Draft(EmbedOptions o) {
            pooling = o.pooling;
            normalize = o.normalize;
            maxTokens = o.maxTokens;
            longTextPolicy = o.longTextPolicy;
            maxBatchSize = o.maxBatchSize;
            maxBatchTokens = o.maxBatchTokens;
            runtime = o.runtime;
            warmUp = o.warmUp;
            graphFusion = o.graphFusion;
        }
    }
}
