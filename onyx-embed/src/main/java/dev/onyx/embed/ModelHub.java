package dev.onyx.embed;

import dev.onyx.embed.internal.hub.HubPull;
import java.io.IOException;
import java.util.Objects;

/**
 * Downloads sentence-transformers models from a Hugging Face hub into the huggingface_hub cache (shared with Python
 * tools); thread-safe and holds no resources, so there is nothing to close.
 *
 * <pre>{@code
 * ModelHub hub = ModelHub.fromEnvironment();                       // HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE, ...
 * ModelSource.Folder folder = hub.pull(new ModelSource.Hub("BAAI/bge-small-en-v1.5"));
 * try (Embedder embedder = Embedder.open(folder)) { ... }
 * }</pre>
 *
 * <p>A model whose snapshot is complete in the cache is found without any network request. Downloads show progress
 * through a {@link DownloadListener}, resume after interruption, are verified against the hub's checksums, and are
 * moved into the cache atomically.
 */
public final class ModelHub {
    private final HubSettings settings;

    public ModelHub(HubSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A hub configured by the {@code HF_*} environment variables, as huggingface_hub reads them. */
    public static ModelHub fromEnvironment() {
        return new ModelHub(HubSettings.fromEnvironment());
    }

    public HubSettings settings() {
        return settings;
    }

    /** Pulls a model without reporting progress. */
    public ModelSource.Folder pull(ModelSource.Hub model) throws IOException {
        return pull(model, DownloadListener.NONE);
    }

    /**
     * Makes a model's files available in the cache and returns its snapshot folder, with the model's variant.
     *
     * @throws HubException for a hub error (401, 404, ...), a checksum mismatch, an interrupted download after retries,
     *     or, offline, a file missing from the cache (naming the file and the cache path)
     * @throws IOException when the cache cannot be written or the hub cannot be reached
     */
    public ModelSource.Folder pull(ModelSource.Hub model, DownloadListener listener) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(listener, "listener");
        return new ModelSource.Folder(
                HubPull.pull(settings, model.repo(), model.revision(), model.variant(), listener), model.variant());
    }
}
