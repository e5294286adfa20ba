package dev.onyx.bench.jmh;

import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** One {@code session.run} of all-MiniLM-L6-v2 through {@link OnnxModel} at batch 1 and 32, 32 tokens per row. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionRunBenchmark {
    static final int SEQ = 32;

    @Param({"1", "32"})
    public int batch;

    private OnnxModel model;
    private Map<String, Tensor> feeds;

    @Setup
    public void setUp() throws IOException {
        model = OnnxModel.load(HotPathState.exportedFile(), RuntimeOptions.defaults());
        long[] ids = new Random(42).longs((long) batch * SEQ, 1000, 30000).toArray();
        long[] mask = new long[batch * SEQ];
        java.util.Arrays.fill(mask, 1L);
        feeds = Map.of(
                "input_ids", Tensor.ofLongs(ids, batch, SEQ),
                "attention_mask", Tensor.ofLongs(mask, batch, SEQ),
                "token_type_ids", Tensor.ofLongs(new long[batch * SEQ], batch, SEQ));
    }

    @TearDown
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Map<String, Tensor> run() {
        return model.run(feeds, Set.of("last_hidden_state"));
    }
}
