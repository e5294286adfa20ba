package dev.onyx.bench.jmh;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Onyx's path after tokenization for 32 pre-tokenized corpus sentences ({@code Embedder.embedTokenIds}: tensors,
 * session run, mean pooling, normalization). Set beside {@link SessionRunBenchmark} (the run alone) and {@link
 * TensorBuildBenchmark}, it bounds what tensor building, pooling and bookkeeping cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EmbedTokenIdsBenchmark {
    private Embedder embedder;
    private List<long[]> ids;

    @Setup
    public void setUp() throws IOException {
        embedder = HotPathState.embedder();
        ids = new ArrayList<>();
        for (String text : HotPathState.batch()) ids.add(embedder.tokenIds(text));
    }

    @TearDown
    public void tearDown() {
        embedder.close();
    }

    @Benchmark
    public Embeddings embedTokenIdsBatchOf32() {
        return embedder.embedTokenIds(ids, true);
    }
}
