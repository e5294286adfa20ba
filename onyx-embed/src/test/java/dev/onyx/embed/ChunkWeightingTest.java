package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LongTextPolicy#CHUNK} as the README states it: a long text becomes max-length windows, and its vector is the
 * mean of the windows' vectors weighted by each window's token count, then normalized. Checked by hand against the
 * engine's own vector for each window ({@link Embedder#embedTokenIds}).
 */
class ChunkWeightingTest {
    private static final int MAX_TOKENS = 16;
    private static final int WINDOW = MAX_TOKENS - 2; // [CLS] and [SEP] in every window

    @Test
    void aChunkedTextIsTheTokenWeightedMeanOfItsWindows() throws Exception {
        EmbedOptions options =
                EmbedOptions.defaults().withMaxTokens(MAX_TOKENS).withLongTextPolicy(LongTextPolicy.CHUNK);
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel(), options)) {
            // three windows, the last one short, so weighting by tokens differs clearly from a plain mean
            StringBuilder text = new StringBuilder("Onyx splits long texts into windows");
            String[] words = {"river", "mountain", "quietly", "engine", "paper", "lantern", "orbit", "garden"};
            for (int i = 0; ; i++) {
                int content = embedder.tokenIds(text.toString()).length - 2;
                if (content > 2 * WINDOW && content % WINDOW >= 1 && content % WINDOW <= 3) break;
                text.append(' ').append(words[i % words.length]);
            }
            long[] ids = embedder.tokenIds(text.toString());
            int content = ids.length - 2;
            List<long[]> windows = new ArrayList<>();
            List<Integer> weights = new ArrayList<>();
            for (int start = 0; start < content; start += WINDOW) {
                int n = Math.min(WINDOW, content - start);
                long[] window = new long[n + 2];
                window[0] = ids[0];
                System.arraycopy(ids, 1 + start, window, 1, n);
                window[n + 1] = ids[ids.length - 1];
                windows.add(window);
                weights.add(n);
            }
            assertThat(windows).hasSize(3);
            assertThat(weights.get(2)).isBetween(1, 3);

            int dim = embedder.dimension();
            double[] weighted = new double[dim];
            double[] plain = new double[dim];
            double total = 0;
            for (int w = 0; w < windows.size(); w++) {
                float[] v =
                        embedder.embedTokenIds(List.of(windows.get(w)), false).vector(0);
                for (int d = 0; d < dim; d++) {
                    weighted[d] += weights.get(w) * (double) v[d];
                    plain[d] += v[d];
                }
                total += weights.get(w);
            }
            for (int d = 0; d < dim; d++) weighted[d] /= total;
            float[] expected = unit(weighted);
            float[] unweighted = unit(plain);

            Embeddings actual = embedder.embed(List.of(text.toString()));
            float[] v = actual.vector(0);
            for (int d = 0; d < dim; d++) {
                assertThat((double) Math.abs(v[d] - expected[d]))
                        .as("component %d", d)
                        .isLessThan(2e-5);
            }
            double plainGap = 0;
            for (int d = 0; d < dim; d++) plainGap = Math.max(plainGap, Math.abs(v[d] - unweighted[d]));
            assertThat(plainGap).as("distance from an unweighted mean").isGreaterThan(1e-3);
            assertThat(actual.tokenCount(0))
                    .isEqualTo(Arrays.stream(windows.toArray(long[][]::new))
                            .mapToInt(w -> w.length)
                            .sum());
        }
    }

    private static float[] unit(double[] v) {
        double norm = 0;
        for (double x : v) norm += x * x;
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / norm);
        return out;
    }
}
