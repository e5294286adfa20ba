package dev.onyx.cli;

import dev.onyx.embed.ModelHub;
import dev.onyx.embed.ModelSource;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx pull}: downloads a hub model into the huggingface_hub cache and prints its folder; used by one thread. */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = {
            "Download a sentence-transformers ONNX model from the Hugging Face hub into the huggingface_hub cache"
                    + " (shared with Python tools) and print its snapshot folder.",
            "Environment: HF_ENDPOINT, HF_TOKEN, HF_HOME / HF_HUB_CACHE, HF_HUB_OFFLINE=1."
        })
final class PullCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ORG/NAME", description = "Hub repository, e.g. BAAI/bge-small-en-v1.5.")
    String repo;

    @Option(
            names = "--revision",
            paramLabel = "REV",
            defaultValue = "main",
            description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(
            names = "--variant",
            paramLabel = "V",
            description = "ONNX file: onnx/model_V.onnx (e.g. quantized, O4); default onnx/model.onnx.")
    String variant;

    @Option(names = "--verbose", description = "Print stack traces on failure.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        ModelSource.Hub model = new ModelSource.Hub(repo, revision, Optional.ofNullable(variant));
        PrintWriter err = spec.commandLine().getErr();
        ModelSource.Folder folder = ModelHub.fromEnvironment().pull(model, new DownloadProgress(err));
        err.println("onyx: " + repo + "@" + revision + " is in " + folder.directory());
        err.flush();
        spec.commandLine().getOut().println(folder.directory());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
