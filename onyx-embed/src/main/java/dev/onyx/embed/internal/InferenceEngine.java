package dev.onyx.embed.internal;

import dev.onyx.embed.Pooling;
import dev.onyx.runtime.ElementType;
import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.Tensor;
import dev.onyx.runtime.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs token sequences through a transformer encoder and pools its token vectors; thread-safe (it holds only
 * immutable state and a thread-safe {@link OnnxModel}, which it does not own).
 */
public final class InferenceEngine {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OnnxModel model;
    private final String output;
    private final boolean tokenTypes;
    private final Pooling pooling;

    public InferenceEngine(OnnxModel model, Pooling pooling, String label) throws InvalidModelException {
        this.model = model;
        this.pooling = pooling;
        if (!model.hasInput(INPUT_IDS) || !model.hasInput(ATTENTION_MASK)) {
            throw new InvalidModelException("model " + label + " has inputs " + model.inputs()
                    + "; an embedding model needs input_ids and attention_mask (token_type_ids optional)");
        }
        this.tokenTypes = model.hasInput(TOKEN_TYPE_IDS);
        this.output = tokenOutput(model, label);
    }

    /** The output holding per-token vectors: last_hidden_state, token_embeddings, or the first rank-3 float output. */
    private static String tokenOutput(OnnxModel model, String label) throws InvalidModelException {
        for (String preferred : List.of("last_hidden_state", "token_embeddings")) {
            for (TensorSpec spec : model.outputs()) {
                if (spec.name().equals(preferred)) return spec.name();
            }
        }
        return model.outputs().stream()
                .filter(s -> s.shape().size() == 3 && s.type() == ElementType.FLOAT)
                .map(TensorSpec::name)
                .findFirst()
                .orElseThrow(() -> new InvalidModelException("model " + label + " has outputs " + model.outputs()
                        + "; expected a float [batch, sequence, hidden] output such as last_hidden_state"));
    }

    /** Declared hidden size, or -1 when the model leaves it dynamic. */
    public long declaredDimension() {
        return model.outputs().stream()
                .filter(s -> s.name().equals(output))
                .findFirst()
                .map(TensorSpec::lastDimension)
                .orElse(-1L);
    }

    /** Runs one batch padded to its longest member; returns pooled vectors in batch order. */
    public float[][] runBatch(List<long[]> sequences, int[] batch) {
        int rows = batch.length;
        int seq = 0;
        for (int index : batch) seq = Math.max(seq, sequences.get(index).length);
        LongBuffer ids = directLongs(rows * seq);
        long[] mask = new long[rows * seq];
        for (int r = 0; r < rows; r++) {
            long[] s = sequences.get(batch[r]);
            ids.put(r * seq, s);
            java.util.Arrays.fill(mask, r * seq, r * seq + s.length, 1L);
        }
        Map<String, Tensor> feeds = new HashMap<>();
        feeds.put(INPUT_IDS, Tensor.ofLongs(ids, rows, seq));
        feeds.put(ATTENTION_MASK, Tensor.ofLongs(directLongs(rows * seq).put(0, mask), rows, seq));
        if (tokenTypes) {
            feeds.put(TOKEN_TYPE_IDS, Tensor.ofLongs(directLongs(rows * seq), rows, seq));
        }
        Tensor hidden = model.run(feeds, Set.of(output)).get(output);
        long[] shape = hidden.shape();
        int dim = (int) shape[2];
        FloatBuffer data = hidden.floatBuffer();
        return PoolingKernels.pool(pooling, data, mask, rows, seq, dim);
    }

    /** The encoder's output vector for every token of one sequence (no padding, no pooling): {@code [tokens][hidden]}. */
    public float[][] tokenVectors(long[] ids) {
        int seq = ids.length;
        Map<String, Tensor> feeds = new HashMap<>();
        feeds.put(INPUT_IDS, Tensor.ofLongs(directLongs(seq).put(0, ids), 1, seq));
        long[] ones = new long[seq];
        java.util.Arrays.fill(ones, 1L);
        feeds.put(ATTENTION_MASK, Tensor.ofLongs(directLongs(seq).put(0, ones), 1, seq));
        if (tokenTypes) {
            feeds.put(TOKEN_TYPE_IDS, Tensor.ofLongs(directLongs(seq), 1, seq));
        }
        Tensor hidden = model.run(feeds, Set.of(output)).get(output);
        int dim = (int) hidden.shape()[2];
        FloatBuffer data = hidden.floatBuffer();
        float[][] out = new float[seq][dim];
        for (int t = 0; t < seq; t++) data.get(t * dim, out[t]);
        return out;
    }

    private static LongBuffer directLongs(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }
}
