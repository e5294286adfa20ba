package dev.onyx.bench.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.onyx.embed.internal.BatchPlanner;
import dev.onyx.runtime.OnyxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The floor: raw ONNX Runtime on pre-tokenized, length-sorted batches whose input tensors are built ahead of time, so a
 * timed pass is only {@code session.run} plus mean pooling and L2 normalization — what no wrapper can beat on the same
 * model file and session settings. Not thread-safe (one benchmark thread); the caller closes it and the {@link Prepared} batches it made; {@link #close()}
 * is idempotent.
 */
public final class Floor implements AutoCloseable {
    private static final String OUTPUT = "last_hidden_state";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean tokenTypes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private record Batch(int[] indices, int rows, int seq, long[] mask, Map<String, OnnxTensor> feeds) {}

    /** Input tensors built ahead of time for a list of sequences; close to release them. Not thread-safe. */
    public static final class Prepared implements AutoCloseable {
        private final int texts;
        private final List<Batch> batches;

        private Prepared(int texts, List<Batch> batches) {
            this.texts = texts;
            this.batches = batches;
        }

        @Override
        public void close() {
            batches.forEach(b -> b.feeds().values().forEach(OnnxTensor::close));
            batches.clear();
        }
    }

    private Floor(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        this.tokenTypes = session.getInputNames().contains("token_type_ids");
    }

    /** Opens the model file with the same settings Onyx uses: one intra-op thread per core, all graph optimizations. */
    public static Floor open(Path onnxFile, int intraOpThreads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(onnxFile.toString(), options);
            return new Floor(env, session);
        } catch (OrtException e) {
            throw new OnyxException("floor: cannot open " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    /** Plans length-sorted batches exactly as Onyx does and builds their input tensors (the untimed part). */
    public Prepared prepare(List<long[]> sequences, int maxBatchSize, int maxBatchTokens) {
        int[] lengths = sequences.stream().mapToInt(s -> s.length).toArray();
        Prepared prepared = new Prepared(sequences.size(), new ArrayList<>());
        try {
            for (int[] indices : BatchPlanner.plan(lengths, maxBatchSize, maxBatchTokens)) {
                prepared.batches.add(batch(sequences, indices));
            }
            return prepared;
        } catch (RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    private Batch batch(List<long[]> sequences, int[] indices) {
        int rows = indices.length;
        int seq = 0;
        for (int i : indices) seq = Math.max(seq, sequences.get(i).length);
        LongBuffer ids = direct(rows * seq);
        LongBuffer maskBuffer = direct(rows * seq);
        long[] mask = new long[rows * seq];
        for (int r = 0; r < rows; r++) {
            long[] s = sequences.get(indices[r]);
            ids.put(r * seq, s);
            for (int t = 0; t < s.length; t++) mask[r * seq + t] = 1;
        }
        maskBuffer.put(0, mask);
        long[] shape = {rows, seq};
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put("input_ids", OnnxTensor.createTensor(env, ids, shape));
            feeds.put("attention_mask", OnnxTensor.createTensor(env, maskBuffer, shape));
            if (tokenTypes) {
                feeds.put("token_type_ids", OnnxTensor.createTensor(env, direct(rows * seq), shape));
            }
        } catch (OrtException e) {
            feeds.values().forEach(OnnxTensor::close);
            throw new OnyxException("floor: cannot build tensors: " + e.getMessage(), e);
        }
        return new Batch(indices, rows, seq, mask, feeds);
    }

    /** The timed part: runs every prepared batch, mean-pools and normalizes; vectors in input order. */
    public float[][] run(Prepared prepared) {
        float[][] out = new float[prepared.texts][];
        for (Batch b : prepared.batches) {
            try (OrtSession.Result result = session.run(b.feeds(), Set.of(OUTPUT))) {
                float[] hidden = ((OnnxTensor) result.get(0)).getFloatBuffer().array();
                int dim = hidden.length / (b.rows() * b.seq());
                for (int r = 0; r < b.rows(); r++) {
                    out[b.indices()[r]] = meanNormalized(hidden, b.mask(), r, b.seq(), dim);
                }
            } catch (OrtException e) {
                throw new OnyxException("floor: run failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static float[] meanNormalized(float[] hidden, long[] mask, int row, int seq, int dim) {
        float[] sum = new float[dim];
        int count = 0;
        for (int t = 0; t < seq && mask[row * seq + t] == 1; t++, count++) {
            int base = (row * seq + t) * dim;
            for (int d = 0; d < dim; d++) sum[d] += hidden[base + d];
        }
        double sq = 0;
        for (int d = 0; d < dim; d++) sq += (double) sum[d] * sum[d];
        // mean then normalize = normalize the sum; the count cancels
        float scale = (float) (1.0 / Math.max(Math.sqrt(sq), 1e-12 * Math.max(count, 1)));
        for (int d = 0; d < dim; d++) sum[d] *= scale;
        return sum;
    }

    private static LongBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new OnyxException("floor: closing the session failed: " + e.getMessage(), e);
            }
        }
    }
}
