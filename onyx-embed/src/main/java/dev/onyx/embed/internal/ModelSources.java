package dev.onyx.embed.internal;

import dev.onyx.embed.ModelHub;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.util.Optional;

/** Turns a {@link ModelSource} into the files of a model: catalog, hub (pulled first) or folder; stateless. */
public final class ModelSources {
    private ModelSources() {}

    /**
     * Resolves a source, pulling a hub model into the local cache when needed.
     *
     * @throws IOException when files cannot be read or fetched, or the folder is not a valid model
     */
    public static ModelDescriptor resolve(ModelSource source) throws IOException {
        if (source instanceof ModelSource.Bundled bundled) {
            Catalog.Entry entry = Catalog.find(bundled.name()).orElseThrow();
            return BundledModels.resolve(entry).withPrompts(entry.prompts(), Optional.empty());
        }
        if (source instanceof ModelSource.Hub hub) {
            source = ModelHub.fromEnvironment().pull(hub);
        }
        ModelSource.Folder folder = (ModelSource.Folder) source;
        return FolderModels.resolve(folder.directory(), folder.variant());
    }
}
