package dev.onyx.cli;

import dev.onyx.mcp.McpOptions;
import dev.onyx.mcp.NamedModel;
import dev.onyx.mcp.OnyxMcpServer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code onyx mcp}: serves embeddings (and, when allowed, any ONNX model) as MCP tools over stdio; used by one thread.
 * Standard output carries protocol messages only: everything else printed to {@code System.out} is sent to standard
 * error while the server runs.
 */
@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Run an MCP server over stdio: tools embed, similarity, search, model_info, and onnx_run"
                + " (only with --allow-dir).")
final class McpCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            paramLabel = "NAME=SOURCE",
            description = "A model to serve, as NAME=SOURCE or just SOURCE (a catalog name or a model folder, ending in"
                    + " ?quantize=int8 for Onyx's int8 copy); repeatable, the first is the default (default:"
                    + " all-minilm-l6-v2).")
    List<String> models = new ArrayList<>();

    @Mixin
    SourceOptions prepare = new SourceOptions();

    @Option(
            names = "--allow-dir",
            paramLabel = "DIR",
            description = "Let onnx_run load .onnx files under DIR (repeatable); without it onnx_run is not offered.")
    List<Path> allowedDirs = new ArrayList<>();

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        List<NamedModel> given = models.isEmpty()
                ? List.of(NamedModel.defaultModel())
                : models.stream().map(NamedModel::parse).toList();
        PrintWriter err = new PrintWriter(System.err, true);
        List<NamedModel> named = new ArrayList<>();
        for (NamedModel model : given) { // progress and errors on stderr, before the protocol owns stdout
            named.add(new NamedModel(model.name(), prepare.prepare(model.source(), err)));
        }
        McpOptions base = McpOptions.defaults();
        McpOptions options = base.withModels(named)
                .withAllowedDirs(allowedDirs)
                .withEmbedOptions(base.embedOptions()
                        .withRuntime(base.embedOptions().runtime().withDevice(device.device)));
        // The protocol owns the process's real standard output; stray prints from any library go to stderr instead.
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        PrintStream original = System.out;
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        try (OnyxMcpServer server = OnyxMcpServer.open(options)) {
            server.serve(System.in, protocol);
            return 0;
        } finally {
            System.setOut(original);
        }
    }
}
