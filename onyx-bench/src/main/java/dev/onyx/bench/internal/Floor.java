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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor: raw ONNX Runtime on pre-tokenized, length-sorted batches whose input tensors are built ahead of time, so a
 * timed pass is only {@code session.run} plus mean pooling and L2 normalization — what no wrapper can beat on the same
 * model file, session settings and batch scheduling. Not thread-safe (one benchmark thread); the caller closes it and the {@link Prepared} batches it made; {@link #close()}
 * is idempotent.
 */
public final class Floor implements AutoCloseable {
    private static final String OUTPUT = "last_hidden_state";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession bulkSession;
    private final ExecutorService helpers;
    private final int workers;
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

    private Floor(OrtEnvironment env, OrtSession session, OrtSession bulkSession, int workers) throws OrtException {
        this.env = env;
        this.session = session;
        this.bulkSession = bulkSession;
        this.workers = workers;
        this.helpers = workers > 1
                ? Executors.newFixedThreadPool(workers - 1, r -> {
                    Thread t = new Thread(r, "floor-batch");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        this.tokenTypes = session.getInputNames().contains("token_type_ids");
    }

    /**
     * Opens the model file with the settings Onyx uses: a session with {@code intraOpThreads} threads for single-batch
     * runs and, when {@code workers > 1}, a second one-thread session on which {@code workers} threads run the batches
     * of a multi-batch pass side by side (Onyx's {@code ParallelBatches}); all graph optimizations.
     */
    public static Floor open(Path onnxFile, int intraOpThreads, int workers) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try {
            session = create(env, onnxFile, intraOpThreads);
            OrtSession bulk = workers > 1 ? create(env, onnxFile, 1) : null;
            return new Floor(env, session, bulk, workers);
        } catch (OrtException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // reporting the open failure matters more
                }
            }
            throw new OnyxException("floor: cannot open " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession create(OrtEnvironment env, Path onnxFile, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(onnxFile.toString(), options);
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

    /**
     * The timed part: runs every prepared batch, mean-pools and normalizes; vectors in input order. A single batch
     * runs on the all-threads session; several run side by side on the one-thread session, as in Onyx.
     */
    public float[][] run(Prepared prepared) {
        float[][] out = new float[prepared.texts][];
        List<Batch> batches = prepared.batches;
        if (batches.size() < 2 || workers < 2) {
            for (Batch b : batches) runBatch(session, b, out);
            return out;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                runBatch(bulkSession, batches.get(i), out);
            }
        };
        List<Future<?>> started = new ArrayList<>();
        for (int h = 0; h < Math.min(workers, batches.size()) - 1; h++) started.add(helpers.submit(work));
        work.run();
        for (Future<?> f : started) {
            try {
                f.get();
            } catch (ExecutionException | InterruptedException e) {
                throw new OnyxException("floor: a batch failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private void runBatch(OrtSession on, Batch b, float[][] out) {
        try (OrtSession.Result result = on.run(b.feeds(), Set.of(OUTPUT))) {
            float[] hidden = ((OnnxTensor) result.get(0)).getFloatBuffer().array();
            int dim = hidden.length / (b.rows() * b.seq());
            for (int r = 0; r < b.rows(); r++) {
                out[b.indices()[r]] = meanNormalized(hidden, b.mask(), r, b.seq(), dim);
            }
        } catch (OrtException e) {
            throw new OnyxException("floor: run failed: " + e.getMessage(), e);
        }
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
            if (helpers != null) helpers.shutdownNow();
            try {
                if (bulkSession != null) bulkSession.close();
                session.close();
            } catch (OrtException e) {
                throw new OnyxException("floor: closing the session failed: " + e.getMessage(), e);
            }
        }
    }
}
