package dev.onyx.bench.jmh;

import dev.onyx.embed.Embedder;
import java.io.IOException;
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

/** Tokenizing 32 corpus sentences with Onyx's tokenizer for the bundled MiniLM ({@code Embedder.tokenIds}, no truncation). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenizationBenchmark {
    private Embedder embedder;
    private List<String> texts;

    @Setup
    public void setUp() throws IOException {
        embedder = HotPathState.embedder();
        texts = HotPathState.batch();
    }

    @TearDown
    public void tearDown() {
        embedder.close();
    }

    @Benchmark
    public long[][] encodeBatchOf32() {
        long[][] out = new long[texts.size()][];
        for (int i = 0; i < out.length; i++) out[i] = embedder.tokenIds(texts.get(i));
        return out;
    }
}
