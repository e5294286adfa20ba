package dev.onyx.embed;

import dev.onyx.embed.internal.Int8Cache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Onyx's cache of int8 copies ({@link ModelSource.Quantized}): {@link Embedder#open} makes a copy on first use by
 * itself (progress to the log); {@link #ensure} makes it beforehand with progress to the caller, as the command line
 * does. A copy lives in {@code <cache>/int8/<key>/}, keyed by the fp32 file's SHA-256 and the quantizer's version; it
 * is written under a temporary name, must pass {@link Quantization}'s quality gate (default options), and is renamed
 * into place with a manifest of its files' checksums; each use checks the manifest and rebuilds a damaged copy.
 * Concurrent first uses, in one process or several, quantize once. Stateless, so thread-safe.
 */
public final class QuantizedModels {
    private QuantizedModels() {}

    /**
     * The folder of the int8 copy of {@code source.fp32()} (a sentence-transformers folder that {@link ModelSource.Folder}
     * opens), quantizing it now when the cache has no intact copy.
     *
     * @param progress receives one-line progress messages (calibration, waiting for another process, a rebuild)
     * @throws dev.onyx.runtime.OnyxException when the model is already int8 (the message names its quantization
     *     operators), or its int8 copy fails the quality gate (remembered: later uses fail at once)
     * @throws IOException when the model cannot be read or the cache cannot be written
     */
    public static Path ensure(ModelSource.Quantized source, Consumer<String> progress) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(progress, "progress");
        return Int8Cache.ensure(source, progress);
    }

    /** Where the copies are kept: {@code <Onyx cache>/int8}. */
    public static Path directory() {
        return Int8Cache.directory();
    }
}
