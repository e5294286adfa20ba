package dev.onyx.bench.jmh;

import dev.onyx.embed.Pooling;
import dev.onyx.embed.internal.PoolingKernels;
import java.nio.FloatBuffer;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/** Mask-aware mean pooling plus L2 normalization of a {@code [32, 64, 384]} hidden state (rows of varying length). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolingBenchmark {
    static final int ROWS = 32;
    static final int SEQ = 64;
    static final int DIM = 384;

    private FloatBuffer hidden;
    private long[] mask;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        float[] data = new float[ROWS * SEQ * DIM];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian();
        hidden = FloatBuffer.wrap(data).asReadOnlyBuffer();
        mask = new long[ROWS * SEQ];
        for (int r = 0; r < ROWS; r++) {
            int length = SEQ / 2 + random.nextInt(SEQ / 2 + 1);
            for (int t = 0; t < length; t++) mask[r * SEQ + t] = 1;
        }
    }

    @Benchmark
    public float[][] meanPoolAndNormalize() {
        float[][] pooled = PoolingKernels.pool(Pooling.MEAN, hidden, mask, ROWS, SEQ, DIM);
        for (float[] v : pooled) PoolingKernels.normalize(v);
        return pooled;
    }
}
