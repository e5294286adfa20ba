package dev.onyx.embed.internal;

import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.OnyxException;
import java.util.List;

/** The checks an embedder makes of its model and of the token ids callers pass; stateless. */
public final class ModelChecks {
    private ModelChecks() {}

    /**
     * Fails at open time, with a message, when the tokenizer's ids do not fit the model's embedding table: by the
     * declared {@code vocab_size}, and by running the largest id once.
     */
    public static void vocabulary(ModelDescriptor descriptor, long maxId, InferenceEngine engine)
            throws InvalidModelException {
        if (descriptor.vocabSize().isPresent()
                && maxId >= descriptor.vocabSize().getAsInt()) {
            throw new InvalidModelException("tokenizer " + descriptor.tokenizerLabel() + " produces token ids up to "
                    + maxId + " but the model's config.json declares vocab_size "
                    + descriptor.vocabSize().getAsInt()
                    + "; the tokenizer does not belong to this model");
        }
        try {
            engine.runBatch(List.of(new long[] {maxId}), new int[] {0});
        } catch (OnyxException e) {
            throw new InvalidModelException(
                    "tokenizer " + descriptor.tokenizerLabel() + " produces token ids up to "
                            + maxId + " but model " + descriptor.onnxFile() + " rejects them (" + e.getMessage()
                            + "); the tokenizer does not belong to this model",
                    e);
        }
    }

    /** Refuses an id outside {@code 0..maxId}, naming {@code name[j]}. */
    public static void ids(long[] ids, String name, long maxId) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] > maxId) {
                throw new OnyxException(name + "[" + j + "] is token id " + ids[j] + "; allowed are 0 to " + maxId);
            }
        }
    }

    /**
     * Checks rows of token ids a caller passes (none null or empty, none longer than {@code maxTokens}, every id in
     * {@code 0..maxId}) and returns their lengths.
     */
    public static int[] rows(List<long[]> ids, int maxTokens, long maxId) {
        int[] tokenCounts = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            long[] row = ids.get(i);
            if (row == null) {
                throw new NullPointerException("ids[" + i + "] is null");
            }
            if (row.length == 0 || row.length > maxTokens) {
                throw new OnyxException(
                        "ids[" + i + "] has " + row.length + " token ids; allowed are 1 to " + maxTokens);
            }
            for (long id : row) {
                if (id < 0 || id > maxId) {
                    throw new OnyxException("ids[" + i + "] holds token id " + id + "; allowed are 0 to " + maxId);
                }
            }
            tokenCounts[i] = row.length;
        }
        return tokenCounts;
    }
}
