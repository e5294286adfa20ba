package dev.onyx.cli;

import dev.onyx.onnx.ExportedModel;
import dev.onyx.onnx.LayerStack;
import dev.onyx.onnx.LayerStackExporter;
import dev.onyx.onnx.LayerStackSpec;
import dev.onyx.onnx.NeatExporter;
import dev.onyx.onnx.NeatGenome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx export neat|layers}: writes an ONNX file from a NEAT genome or a layer-stack spec; used by one thread. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Export a NEAT genome or a Keras-like layer stack to an ONNX file.",
        subcommands = {ExportCommand.Neat.class, ExportCommand.Layers.class})
final class ExportCommand {

    /** What both exporters share: the source JSON, the output file and the one-line summary. */
    abstract static class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The JSON file to export.")
        Path source;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                required = true,
                description = "The .onnx file to write.")
        Path output;

        @Mixin
        VerboseOption verbose;

        abstract ExportedModel export(Path source) throws IOException;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(source)) {
                throw new IOException("file not found: " + source.toAbsolutePath());
            }
            ExportedModel model = export(source);
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            model.writeTo(output);
            spec.commandLine()
                    .getErr()
                    .println("onyx: wrote " + output + " (" + model.bytes().length + " bytes; inputs "
                            + model.inputNames() + ", outputs " + model.outputNames() + ")");
            return 0;
        }
    }

    @Command(
            name = "neat",
            mixinStandardHelpOptions = true,
            description = "Export a feed-forward NEAT genome (neat-python conventions, JSON) to ONNX: "
                    + "input [batch, inputs] \"input\" -> output [batch, outputs] \"output\".")
    static final class Neat extends Export {
        @Override
        ExportedModel export(Path source) throws IOException {
            return NeatExporter.export(NeatGenome.read(source));
        }
    }

    @Command(
            name = "layers",
            mixinStandardHelpOptions = true,
            description = "Export a Keras-like layer stack spec (JSON: embedding, dense, pooling, dropout) to ONNX.")
    static final class Layers extends Export {
        @Override
        ExportedModel export(Path source) throws IOException {
            return LayerStackExporter.export(LayerStack.load(LayerStackSpec.read(source)));
        }
    }
}
