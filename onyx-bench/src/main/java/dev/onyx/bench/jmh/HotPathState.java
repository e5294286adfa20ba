package dev.onyx.bench.jmh;

import dev.onyx.bench.internal.Corpus;
import dev.onyx.embed.internal.BundledModels;
import dev.onyx.embed.internal.Catalog;
import dev.onyx.embed.internal.ModelDescriptor;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** What the hot-path benchmarks share: the bundled model and a batch of 32 corpus sentences; stateless helpers. */
final class HotPathState {
    static final int BATCH = 32;

    private HotPathState() {}

    static ModelDescriptor model() throws IOException {
        return BundledModels.resolve(Catalog.find("all-minilm-l6-v2").orElseThrow());
    }

    static List<String> batch() throws IOException {
        return Corpus.load(Optional.empty(), BATCH).texts();
    }
}
