package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.runtime.OptimizationLevel;
import dev.onyx.runtime.RuntimeOptions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The other catalog models against vectors and token ids computed by transformers.js on the same ONNX files (see
 * src/test/resources/reference/README.md): BGE with CLS pooling, E5 with mean pooling, both at 512 tokens, and the int8
 * MiniLM, which is only tight at optimization level BASIC with one text per run (as the reference was made), and then
 * only as tight as the CPU's int8 kernel: ONNX Runtime's AVX2 kernel (u8×s8 through {@code vpmaddubsw}, whose 16-bit
 * pair sums saturate) gave a lowest cosine of 0.9944 over the 300 rows on a 2-core AMD EPYC with AVX2 only (2026-12-03),
 * where the Intel machine with AVX-512 VNNI gave ≥ 0.9999; the bound for it is 0.99 so the test holds on both.
 */
class CatalogParityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bge-small-en-v1.5, CLS, 512, 64, 0.9999",
        "e5-small-v2, MEAN, 512, 64, 0.9999",
        "all-minilm-l6-v2-q, MEAN, 256, 1, 0.99"
    })
    void tokenIdsAndVectorsMatchTheReferenceOnEveryRow(
            String model, Pooling pooling, int maxTokens, int batchSize, double minCosine) throws Exception {
        EmbedOptions options = EmbedOptions.defaults().withMaxBatchSize(batchSize);
        if (batchSize == 1) {
            options = options.withRuntime(RuntimeOptions.defaults().withOptimizationLevel(OptimizationLevel.BASIC));
        }
        List<String> sentences = Reference.sentences();
        List<long[]> expectedIds = Reference.tokenIds(model);
        float[][] expected = Reference.vectors(model);
        try (Embedder embedder = Embedder.open(ModelSource.parse(model), options)) {
            assertThat(embedder.info().pooling()).isEqualTo(pooling);
            assertThat(embedder.maxTokens()).isEqualTo(maxTokens);
            for (int i = 0; i < sentences.size(); i++) {
                assertThat(embedder.tokenIds(sentences.get(i)))
                        .as("token ids of row %d", i)
                        .containsExactly(expectedIds.get(i));
            }
            Embeddings actual = embedder.embed(sentences);
            double lowest = 1;
            for (int i = 0; i < sentences.size(); i++) {
                double cosine = Reference.cosine(actual.vector(i), expected[i]);
                lowest = Math.min(lowest, cosine);
                assertThat(cosine)
                        .as("cosine of row %d: %s", i, sentences.get(i))
                        .isGreaterThanOrEqualTo(minCosine);
            }
            System.out.printf(
                    "%s: lowest cosine to the reference %.6f over %d rows%n", model, lowest, sentences.size());
        }
    }
}
