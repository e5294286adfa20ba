package dev.onyx.cli;

import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The {@code --quantize} and {@code --offline} options of the commands that open embedding models (embed, info, serve,
 * mcp), and what they do to a model source before it is opened; filled by picocli on one thread.
 */
final class SourceOptions {
    @Option(
            names = "--quantize",
            paramLabel = "int8",
            converter = Converters.QuantizeConverter.class,
            description = "Run Onyx's int8 copy of the model (of every --model where several are given): quantized with"
                    + " static, calibrated scales on first use (progress on stderr) and kept in Onyx's cache for later"
                    + " runs; the same as --model SOURCE?quantize=int8. Allowed: int8.")
    ModelPrecision quantize;

    @Option(
            names = "--offline",
            description = "Use only local files: Onyx's cache and the local Maven repository for catalog models (also"
                    + " ONYX_OFFLINE=1).")
    boolean offline;

    /**
     * The source with {@code --quantize} applied, made ready to open: a catalog model not yet local is fetched, an int8
     * copy not yet cached is made, with progress on {@code err}.
     */
    ModelSource prepare(ModelSource source, PrintWriter err) throws IOException {
        ModelSource wanted = quantize == null ? source : ModelSource.quantized(source, quantize);
        return CatalogFetch.ensure(wanted, offline, err);
    }
}
