package dev.onyx.embed.internal;

import dev.onyx.embed.InputTooLongException;
import dev.onyx.embed.LongTextPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequences a list of tokenized texts becomes, and how their pooled vectors combine back into one vector per text:
 * one sequence per text (truncated under {@link LongTextPolicy#TRUNCATE}), or, under {@link LongTextPolicy#CHUNK},
 * max-length windows whose pooled vectors are averaged weighted by each window's content token count. Immutable, so
 * thread-safe.
 *
 * @param sequences token ids to run, special tokens included
 * @param owners for each sequence, the index of its text
 * @param weights for each sequence, its weight in its text's average (content tokens of a window; 1 otherwise)
 * @param tokenCounts for each text, the tokens fed to the model
 */
public record Segments(List<long[]> sequences, int[] owners, int[] weights, int[] tokenCounts) {
    /**
     * Splits texts by the policy.
     *
     * @throws InputTooLongException under {@link LongTextPolicy#ERROR}, for the first text over {@code maxTokens}
     */
    public static Segments of(List<TokenizedText> tokenized, int maxTokens, LongTextPolicy policy) {
        List<long[]> sequences = new ArrayList<>(tokenized.size());
        List<int[]> owners = new ArrayList<>(tokenized.size()); // {text index, weight}
        int[] tokenCounts = new int[tokenized.size()];
        for (int i = 0; i < tokenized.size(); i++) {
            TokenizedText text = tokenized.get(i);
            if (text.length() > maxTokens && policy == LongTextPolicy.ERROR) {
                throw new InputTooLongException(i, text.length(), maxTokens);
            }
            if (text.length() > maxTokens && policy == LongTextPolicy.CHUNK) {
                int window = maxTokens - text.leadingSpecial() - text.trailingSpecial();
                for (int start = 0; start < text.contentLength(); start += window) {
                    long[] chunk = text.window(start, window);
                    sequences.add(chunk);
                    owners.add(new int[] {i, chunk.length - text.leadingSpecial() - text.trailingSpecial()});
                    tokenCounts[i] += chunk.length;
                }
            } else {
                long[] ids = text.truncated(maxTokens);
                sequences.add(ids);
                owners.add(new int[] {i, 1});
                tokenCounts[i] = ids.length;
            }
        }
        int[] owner = new int[owners.size()];
        int[] weight = new int[owners.size()];
        for (int s = 0; s < owner.length; s++) {
            owner[s] = owners.get(s)[0];
            weight[s] = owners.get(s)[1];
        }
        return new Segments(List.copyOf(sequences), owner, weight, tokenCounts);
    }

    /** Number of texts. */
    public int texts() {
        return tokenCounts.length;
    }

    /**
     * One vector per text: the pooled vector of its sequence, or the weighted mean of its windows' vectors; then
     * L2-normalized when {@code normalize}.
     */
    public float[][] combine(float[][] pooled, int dimension, boolean normalize) {
        int count = texts();
        float[][] out;
        if (pooled.length == count) {
            out = pooled;
        } else {
            out = new float[count][];
            double[][] sums = new double[count][dimension];
            double[] totals = new double[count];
            for (int s = 0; s < pooled.length; s++) {
                int text = owners[s];
                double weight = weights[s];
                totals[text] += weight;
                for (int d = 0; d < dimension; d++) sums[text][d] += weight * pooled[s][d];
            }
            for (int i = 0; i < count; i++) {
                out[i] = new float[dimension];
                for (int d = 0; d < dimension; d++) out[i][d] = (float) (sums[i][d] / totals[i]);
            }
        }
        if (normalize) {
            for (float[] v : out) PoolingKernels.normalize(v);
        }
        return out;
    }
}
