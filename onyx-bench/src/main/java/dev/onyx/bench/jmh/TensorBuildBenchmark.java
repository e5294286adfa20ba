package dev.onyx.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
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

/**
 * Padding a batch of 32 token sequences into {@code [32, 64]} input tensors: bulk puts into direct buffers (what the
 * InferenceEngine does) against boxing each id through a {@code Long[]} (what naive wrappers do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TensorBuildBenchmark {
    static final int ROWS = 32;
    static final int SEQ = 64;

    private long[][] sequences;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        sequences = new long[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            sequences[r] = random.longs(SEQ / 2 + random.nextInt(SEQ / 2 + 1), 1000, 30000)
                    .toArray();
        }
    }

    @Benchmark
    public LongBuffer[] directBulkPut() {
        LongBuffer ids = direct();
        LongBuffer mask = direct();
        for (int r = 0; r < ROWS; r++) {
            ids.put(r * SEQ, sequences[r]);
            for (int t = 0; t < sequences[r].length; t++) mask.put(r * SEQ + t, 1L);
        }
        return new LongBuffer[] {ids, mask, direct()};
    }

    @Benchmark
    public long[][] boxedPerElement() {
        Long[] ids = new Long[ROWS * SEQ];
        Long[] mask = new Long[ROWS * SEQ];
        for (int r = 0; r < ROWS; r++) {
            for (int t = 0; t < SEQ; t++) {
                boolean token = t < sequences[r].length;
                ids[r * SEQ + t] = token ? sequences[r][t] : 0L;
                mask[r * SEQ + t] = token ? 1L : 0L;
            }
        }
        long[] idsOut = new long[ids.length];
        long[] maskOut = new long[mask.length];
        for (int i = 0; i < ids.length; i++) {
            idsOut[i] = ids[i];
            maskOut[i] = mask[i];
        }
        return new long[][] {idsOut, maskOut};
    }

    private static LongBuffer direct() {
        return ByteBuffer.allocateDirect(ROWS * SEQ * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }
}
