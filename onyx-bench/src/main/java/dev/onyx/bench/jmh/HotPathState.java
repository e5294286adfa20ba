package dev.onyx.bench.jmh;

import dev.onyx.bench.internal.Corpus;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the hot-path benchmarks share: the bundled model (through Onyx's public API only) and a batch of 32 corpus
 * sentences; stateless helpers.
 */
final class HotPathState {
    static final int BATCH = 32;

    private HotPathState() {}

    /** An embedder on the bundled all-MiniLM-L6-v2 with default options; the caller closes it. */
    static Embedder embedder() throws IOException {
        return Embedder.open(ModelSource.defaultModel());
    }

    /** The model's ONNX file as exported (an embedder opened without graph fusion runs the file as it is). */
    static Path exportedFile() throws IOException {
        try (Embedder plain = Embedder.open(
                ModelSource.defaultModel(), EmbedOptions.defaults().withGraphFusion(false))) {
            return Path.of(plain.info().runtimeFile());
        }
    }

    static List<String> batch() throws IOException {
        return Corpus.load(Optional.empty(), BATCH).texts();
    }
}
