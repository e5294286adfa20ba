package dev.onyx.bench.jmh;

import dev.onyx.embed.internal.HfTokenizer;
import dev.onyx.embed.internal.TokenizedText;
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

/** Tokenizing a batch of 32 corpus sentences with the bundled MiniLM tokenizer (DJL / HF tokenizers, no truncation). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenizationBenchmark {
    private HfTokenizer tokenizer;
    private List<String> texts;

    @Setup
    public void setUp() throws IOException {
        tokenizer = HfTokenizer.load(HotPathState.model());
        texts = HotPathState.batch();
    }

    @TearDown
    public void tearDown() {
        tokenizer.close();
    }

    @Benchmark
    public List<TokenizedText> encodeBatchOf32() {
        return tokenizer.encode(texts);
    }
}
