package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LongTextPolicy#CHUNK}, recomputed from the public API: the text's ids are cut into windows of {@code maxTokens}
 * (each with the text's own [CLS] and [SEP]), each window is pooled, and the vector is the mean of the pooled windows
 * weighted by their content-token counts, then normalized.
 */
class ChunkWeightingTest {
    private static final int MAX_TOKENS = 64;
    private static final double TOLERANCE = 1e-4; // per component; windows run in one padded batch here, alone there

    @Test
    void aChunkedTextIsTheTokenWeightedMeanOfItsWindows() throws Exception {
        String text = "The harbor defenses of the Atlantic coast need attention. ".repeat(12)
                + "Agriculture and the public lands occupied the Congress. ".repeat(2);
        try (Embedder chunking = Embedder.open(
                ModelSource.defaultModel(),
                EmbedOptions.defaults().withLongTextPolicy(LongTextPolicy.CHUNK).withMaxTokens(MAX_TOKENS))) {
            long[] ids = chunking.tokenIds(text); // untruncated under CHUNK
            int window = MAX_TOKENS - 2;
            List<long[]> windows = new ArrayList<>();
            List<Integer> weights = new ArrayList<>();
            for (int start = 1; start < ids.length - 1; start += window) {
                int end = Math.min(start + window, ids.length - 1);
                long[] w = new long[end - start + 2];
                w[0] = ids[0];
                System.arraycopy(ids, start, w, 1, end - start);
                w[w.length - 1] = ids[ids.length - 1];
                windows.add(w);
                weights.add(end - start);
            }
            assertThat(windows)
                    .as("the text spans several windows, the last one shorter")
                    .hasSizeGreaterThan(2);
            assertThat(weights.get(weights.size() - 1)).isLessThan(window);
            float[][] pooled = chunking.embedTokenIds(windows, false).toArray();

            Embeddings chunked = chunking.embed(List.of(text));

            float[] byTokens = normalizedMean(pooled, weights);
            float[] byWindows =
                    normalizedMean(pooled, weights.stream().map(w -> 1).toList());
            assertThat(chunked.tokenCount(0))
                    .isEqualTo(windows.stream().mapToInt(w -> w.length).sum());
            assertThat(maxDifference(chunked.vector(0), byTokens)).isLessThan(TOLERANCE);
            // the weighting is visible: an unweighted mean of the same windows is far outside the tolerance
            assertThat(maxDifference(chunked.vector(0), byWindows)).isGreaterThan(10 * TOLERANCE);
        }
    }

    private static float[] normalizedMean(float[][] vectors, List<Integer> weights) {
        double[] sum = new double[vectors[0].length];
        for (int i = 0; i < vectors.length; i++) {
            for (int d = 0; d < sum.length; d++) sum[d] += weights.get(i) * (double) vectors[i][d];
        }
        double norm = Math.sqrt(Arrays.stream(sum).map(x -> x * x).sum());
        float[] out = new float[sum.length];
        for (int d = 0; d < sum.length; d++) out[d] = (float) (sum[d] / norm);
        return out;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }
}
