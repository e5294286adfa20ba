package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled all-MiniLM-L6-v2 against vectors and token ids computed by transformers.js on the same ONNX file (see
 * src/test/resources/reference/README.md). Every row must reach cosine 0.9999; no row is exempt.
 */
class ReferenceParityTest {
    private static final String MODEL = "all-minilm-l6-v2";
    private static Embedder embedder;

    @BeforeAll
    static void open() throws Exception {
        embedder = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void tokenIdsEqualTheReferenceOnEveryRowIncludingTruncatedOnes() throws Exception {
        List<String> sentences = Reference.sentences();
        List<long[]> expected = Reference.tokenIds(MODEL);
        assertThat(sentences).hasSize(300);
        int truncated = 0;
        for (int i = 0; i < sentences.size(); i++) {
            long[] ids = embedder.tokenIds(sentences.get(i));
            assertThat(ids).as("token ids of row %d: %s", i, sentences.get(i)).containsExactly(expected.get(i));
            if (embedder.countTokens(sentences.get(i)) > 256) truncated++;
        }
        // rows 265, 266, 278, 279, 297, 299 are longer than 256 tokens: truncation at 256 (not 128) is exercised
        assertThat(truncated).isEqualTo(6);
    }

    @Test
    void batchedEmbeddingsMatchTheReferenceOnEveryRow() throws Exception {
        List<String> sentences = Reference.sentences();
        float[][] expected = Reference.vectors(MODEL);
        Embeddings actual = embedder.embed(sentences);
        assertThat(actual.size()).isEqualTo(300);
        double worst = 1;
        for (int i = 0; i < sentences.size(); i++) {
            double cosine = Reference.cosine(actual.vector(i), expected[i]);
            worst = Math.min(worst, cosine);
            assertThat(cosine).as("cosine of row %d: %s", i, sentences.get(i)).isGreaterThanOrEqualTo(0.9999);
        }
        assertThat(worst).isGreaterThan(0.99999);
    }

    @Test
    void singleTextEmbeddingsMatchTheReference() throws Exception {
        List<String> sentences = Reference.sentences();
        float[][] expected = Reference.vectors(MODEL);
        for (int i : new int[] {0, 265, 280, 289, 296, 299}) {
            assertThat(Reference.cosine(embedder.embed(sentences.get(i)), expected[i]))
                    .as("row %d", i)
                    .isGreaterThanOrEqualTo(0.9999);
        }
    }
}
