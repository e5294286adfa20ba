package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Onyx's own int8 copies of the three fp32 catalog models against their fp32 originals on every reference sentence
 * (the set includes texts over 256 tokens, other scripts, repetitions and one-character texts), and a text's int8 vector
 * alone against the same text inside batches of 2, 16 and 64 mixed-length texts.
 */
class QuantizationQualityTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2"})
    void int8StaysWithinCosine099OfFp32OnEveryReferenceRowAndKeepsNearestNeighbours(String model) throws Exception {
        List<String> sentences = Reference.sentences();
        Int8Copies.Copy copy = Int8Copies.of(model);
        try (Embedder fp32 = Embedder.open(new ModelSource.Bundled(model));
                Embedder int8 = Embedder.open(new ModelSource.Folder(copy.folder()))) {
            assertThat(sentences.stream()
                            .mapToInt(s -> fp32.tokenIds(s).length)
                            .max()
                            .orElse(0))
                    .as("the rows include texts longer than 256 tokens where the model takes them")
                    .isGreaterThan(Math.min(256, fp32.maxTokens() - 1));
            float[][] expected = fp32.embed(sentences).toArray();
            float[][] actual = int8.embed(sentences).toArray();
            double[] cosines = new double[sentences.size()];
            for (int i = 0; i < cosines.length; i++) cosines[i] = Reference.cosine(expected[i], actual[i]);
            double[] sorted = cosines.clone();
            Arrays.sort(sorted);
            int worst = 0;
            for (int i = 0; i < cosines.length; i++) if (cosines[i] < cosines[worst]) worst = i;
            int agree = 0;
            double recall = 0;
            for (int q = 0; q < sentences.size(); q++) {
                int[] want = nearest(expected, q, 10);
                int[] got = nearest(actual, q, 10);
                if (want[0] == got[0]) agree++;
                Set<Integer> wanted = new HashSet<>();
                for (int i : want) wanted.add(i);
                for (int i : got) if (wanted.contains(i)) recall += 1.0 / want.length;
            }
            double top1 = agree / (double) sentences.size();
            double recall10 = recall / sentences.size();
            System.out.printf(
                    "%s int8 vs fp32 over %d rows: min %.5f p1 %.5f mean %.5f; top-1 neighbour agreement %.3f,"
                            + " recall@10 %.4f%n",
                    model,
                    sentences.size(),
                    sorted[0],
                    sorted[sorted.length / 100],
                    Arrays.stream(cosines).average().orElse(0),
                    top1,
                    recall10);
            assertThat(sorted[0])
                    .as("worst cosine int8 vs fp32 (row %d: %s)", worst, sentences.get(worst))
                    .isGreaterThanOrEqualTo(0.99);
            assertThat(top1).as("top-1 neighbour agreement with fp32").isGreaterThanOrEqualTo(TOP1_FLOOR);
            assertThat(recall10)
                    .as("recall@10: share of fp32's 10 nearest rows that int8 also ranks in its 10 nearest")
                    .isGreaterThanOrEqualTo(RECALL10_FLOOR);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2"})
    void aTextsVectorDoesNotDependOnItsBatchMates(String model) throws Exception {
        List<String> sentences = Reference.sentences();
        // mixed lengths: long rows, short rows and edge cases
        List<String> texts = new ArrayList<>(sentences.subList(236, 300));
        try (Embedder int8 =
                Embedder.open(new ModelSource.Folder(Int8Copies.of(model).folder()))) {
            float[][] alone = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++)
                alone[i] = int8.embed(List.of(texts.get(i))).toArray()[0];
            double worst = 1;
            for (int batch : new int[] {2, 16, 64}) {
                for (int start = 0; start < texts.size(); start += batch) {
                    float[][] vectors =
                            int8.embed(texts.subList(start, start + batch)).toArray();
                    for (int i = 0; i < batch; i++) {
                        double c = Reference.cosine(vectors[i], alone[start + i]);
                        worst = Math.min(worst, c);
                        assertThat(c)
                                .as("text %d alone vs in a batch of %d", start + i, batch)
                                .isGreaterThanOrEqualTo(0.99999);
                    }
                }
            }
            System.out.printf("%s int8 batch invariance: lowest cosine %.8f%n", model, worst);
        }
    }

    /**
     * Issue 17's target is 0.98; measured 2026-12-03 (60 calibration texts): MiniLM 0.960, bge 0.940 — among 300
     * reference sentences many nearest neighbours are near-ties that a cosine of 0.999 already reorders (the shipped
     * -q models: 0.83). The floor guards against regressions, not the target.
     */
    private static final double TOP1_FLOOR = 0.93;

    /**
     * Recall@10 against fp32's neighbours, a regression floor (not a target): measured 2026-12-03 (60 calibration
     * texts) all-MiniLM-L6-v2 0.976, bge-small-en-v1.5 0.954, e5-small-v2 0.950 (the shipped MiniLM -q: 0.879).
     */
    private static final double RECALL10_FLOOR = 0.93;

    /** The k rows closest to row q by cosine, closest first, q excluded. */
    private static int[] nearest(float[][] vectors, int q, int k) {
        double[] cosine = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) cosine[i] = i == q ? -3 : Reference.cosine(vectors[q], vectors[i]);
        return IntStream.range(0, vectors.length)
                .boxed()
                .sorted((a, b) -> Double.compare(cosine[b], cosine[a]))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }
}
