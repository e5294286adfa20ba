package dev.onyx.bench.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * The floor: the embedding program a user of raw ONNX Runtime would write, with no Onyx class in it. It tokenizes with
 * DJL's Hugging Face tokenizer (truncating at the model's length), sorts the texts by token count, cuts them into
 * batches of a fixed size, builds {@code input_ids} / {@code attention_mask} (/ {@code token_type_ids}) tensors with
 * {@code ai.onnxruntime} directly, runs one session (one batch after another, every intra-op thread on each), then
 * pools (mean over the mask, or the first token) and L2-normalizes. The only things it takes from the benchmark are
 * inputs: the ONNX file, the tokenizer's JSON, the model's length and pooling.
 *
 * <p>Not thread-safe (one benchmark thread); the caller closes it; {@link #close()} is idempotent.
 */
public final class Floor implements AutoCloseable {
    private static final String PREFERRED_OUTPUT = "last_hidden_state";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final String output;
    private final boolean tokenTypes;
    private final boolean clsPooling;
    private final int batchSize;
    private final int threads;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * What the floor runs.
     *
     * @param onnxFile the ONNX file (as exported, or Onyx's fused copy)
     * @param tokenizerJson reads the model's {@code tokenizer.json}; closed by {@link #open}
     * @param maxTokens truncation length, special tokens included
     * @param clsPooling first-token pooling instead of mean pooling
     * @param intraOpThreads ONNX Runtime intra-op threads of the one session
     * @param batchSize texts per batch (after sorting by length)
     */
    public record Setup(
            Path onnxFile,
            InputStreamSource tokenizerJson,
            int maxTokens,
            boolean clsPooling,
            int intraOpThreads,
            int batchSize) {}

    /** Opens a fresh stream each call. */
    @FunctionalInterface
    public interface InputStreamSource {
        InputStream open() throws IOException;
    }

    private Floor(OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer, Setup setup)
            throws OrtException {
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.clsPooling = setup.clsPooling();
        this.batchSize = setup.batchSize();
        this.threads = setup.intraOpThreads();
        Set<String> outputs = session.getOutputNames();
        this.output = outputs.contains(PREFERRED_OUTPUT)
                ? PREFERRED_OUTPUT
                : outputs.iterator().next();
        this.tokenTypes = session.getInputNames().contains("token_type_ids");
    }

    /** Loads the tokenizer and creates the session. */
    public static Floor open(Setup setup) {
        if (setup.batchSize() < 1 || setup.intraOpThreads() < 1 || setup.maxTokens() < 2) {
            throw new OnyxException("floor: batch size, threads must be >= 1 and max tokens >= 2, was " + setup);
        }
        HuggingFaceTokenizer tokenizer;
        try (InputStream json = setup.tokenizerJson().open()) {
            tokenizer = HuggingFaceTokenizer.newInstance(
                    json,
                    Map.of(
                            "addSpecialTokens", "true",
                            "truncation", "true",
                            "maxLength", Integer.toString(setup.maxTokens()),
                            "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new OnyxException("floor: cannot load the tokenizer: " + e.getMessage(), e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(setup.intraOpThreads());
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(setup.onnxFile().toString(), options);
            return new Floor(env, session, tokenizer, setup);
        } catch (OrtException | RuntimeException e) {
            tokenizer.close();
            throw new OnyxException("floor: cannot open " + setup.onnxFile() + ": " + e.getMessage(), e);
        }
    }

    /** Texts per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Intra-op threads of the session. */
    public int threads() {
        return threads;
    }

    /** Token ids per text (special tokens included, truncated at the model's length); the untimed part of a pass. */
    public List<long[]> tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<long[]> ids = new ArrayList<>(encodings.length);
        for (Encoding e : encodings) ids.add(e.getIds());
        return ids;
    }

    /** One text: tokenize, build tensors, run, pool, normalize. */
    public float[] embed(String text) {
        return embedIds(List.of(tokenizer.encode(text).getIds()))[0];
    }

    /** Several texts: tokenize, then {@link #embedIds}. */
    public float[][] embed(List<String> texts) {
        return embedIds(tokenize(texts));
    }

    /**
     * The timed part of a throughput pass: sorts by length, runs fixed-size batches one after another (tensors built
     * per batch), pools and normalizes; vectors in input order.
     */
    public float[][] embedIds(List<long[]> ids) {
        int[] order = IntStream.range(0, ids.size())
                .boxed()
                .sorted(Comparator.comparingInt(i -> ids.get(i).length))
                .mapToInt(Integer::intValue)
                .toArray();
        float[][] out = new float[ids.size()][];
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            runBatch(ids, java.util.Arrays.copyOfRange(order, from, to), out);
        }
        return out;
    }

    private void runBatch(List<long[]> ids, int[] rows, float[][] out) {
        int n = rows.length;
        int seq = 0;
        for (int r : rows) seq = Math.max(seq, ids.get(r).length);
        long[] inputIds = new long[n * seq];
        long[] mask = new long[n * seq];
        for (int r = 0; r < n; r++) {
            long[] s = ids.get(rows[r]);
            System.arraycopy(s, 0, inputIds, r * seq, s.length);
            java.util.Arrays.fill(mask, r * seq, r * seq + s.length, 1L);
        }
        long[] shape = {n, seq};
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape));
            feeds.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (tokenTypes) {
                feeds.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * seq]), shape));
            }
            try (OrtSession.Result result = session.run(feeds, Set.of(output))) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                int dim = hidden.capacity() / (n * seq);
                for (int r = 0; r < n; r++) {
                    out[rows[r]] = pool(hidden, r, ids.get(rows[r]).length, seq, dim);
                }
            }
        } catch (OrtException e) {
            throw new OnyxException("floor: run failed: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(FloatBuffer hidden, int row, int length, int seq, int dim) {
        float[] v = new float[dim];
        int tokens = clsPooling ? 1 : length;
        for (int t = 0; t < tokens; t++) {
            int base = (row * seq + t) * dim;
            for (int d = 0; d < dim; d++) v[d] += hidden.get(base + d);
        }
        double sq = 0;
        for (int d = 0; d < dim; d++) {
            v[d] /= tokens;
            sq += (double) v[d] * v[d];
        }
        float scale = (float) (1.0 / Math.max(Math.sqrt(sq), 1e-12));
        for (int d = 0; d < dim; d++) v[d] *= scale;
        return v;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            tokenizer.close();
            try {
                session.close();
            } catch (OrtException e) {
                throw new OnyxException("floor: closing the session failed: " + e.getMessage(), e);
            }
        }
    }
}
