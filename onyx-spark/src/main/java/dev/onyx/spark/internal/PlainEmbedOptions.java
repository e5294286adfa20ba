package dev.onyx.spark.internal;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.LongTextPolicy;
import dev.onyx.embed.Pooling;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OptimizationLevel;
import dev.onyx.runtime.RuntimeOptions;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@link EmbedOptions} as plain serializable fields, so Spark can ship them to executors; an immutable record, safe to
 * share. {@code EmbedOptions} holds {@code Optional}s, which are not serializable: here an absent value is a null
 * component ({@code pooling}, {@code normalize}, {@code optimizedModelCache}) or {@code maxTokens == 0}. Nulls never
 * leave this class: {@link #toEmbedOptions()} turns them back into empty optionals.
 */
public record PlainEmbedOptions(
        Pooling pooling,
        Boolean normalize,
        int maxTokens,
        LongTextPolicy longTextPolicy,
        int maxBatchSize,
        int maxBatchTokens,
        Device device,
        boolean strictDevice,
        int intraOpThreads,
        OptimizationLevel optimizationLevel,
        boolean memoryArena,
        String optimizedModelCache,
        boolean warmUp)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public PlainEmbedOptions {
        Objects.requireNonNull(longTextPolicy, "longTextPolicy");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(optimizationLevel, "optimizationLevel");
    }

    /** The same options as plain fields. */
    public static PlainEmbedOptions of(EmbedOptions options) {
        Objects.requireNonNull(options, "options");
        RuntimeOptions runtime = options.runtime();
        return new PlainEmbedOptions(
                options.pooling().orElse(null),
                options.normalize().orElse(null),
                options.maxTokens().orElse(0),
                options.longTextPolicy(),
                options.maxBatchSize(),
                options.maxBatchTokens(),
                runtime.device(),
                runtime.strictDevice(),
                runtime.intraOpThreads(),
                runtime.optimizationLevel(),
                runtime.memoryArena(),
                runtime.optimizedModelCache().map(Path::toString).orElse(null),
                options.warmUp());
    }

    /** Rebuilds the options (on the executor); equal to the {@code EmbedOptions} these fields were taken from. */
    public EmbedOptions toEmbedOptions() {
        RuntimeOptions runtime = RuntimeOptions.defaults()
                .withDevice(device)
                .withStrictDevice(strictDevice)
                .withIntraOpThreads(intraOpThreads)
                .withOptimizationLevel(optimizationLevel)
                .withMemoryArena(memoryArena);
        if (optimizedModelCache != null) {
            runtime = runtime.withOptimizedModelCache(Path.of(optimizedModelCache));
        }
        EmbedOptions options = EmbedOptions.defaults()
                .withLongTextPolicy(longTextPolicy)
                .withMaxBatchSize(maxBatchSize)
                .withMaxBatchTokens(maxBatchTokens)
                .withRuntime(runtime)
                .withWarmUp(warmUp);
        if (pooling != null) options = options.withPooling(pooling);
        if (normalize != null) options = options.withNormalize(normalize);
        if (maxTokens != 0) options = options.withMaxTokens(maxTokens);
        return options;
    }
}
