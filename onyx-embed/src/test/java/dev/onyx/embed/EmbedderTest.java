package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnyxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbedderTest {
    private static Embedder embedder;
    private static List<String> sentences;

    @BeforeAll
    static void open() throws Exception {
        embedder = Embedder.open(ModelSource.defaultModel());
        sentences = Reference.sentences().subList(0, 60);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void dimensionAndInfoComeFromTheModel() {
        assertThat(embedder.dimension()).isEqualTo(384);
        ModelInfo info = embedder.info();
        assertThat(info.name()).isEqualTo("all-minilm-l6-v2");
        assertThat(info.maxTokens()).isEqualTo(256);
        assertThat(info.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(info.normalize()).isTrue();
        assertThat(info.device()).isEqualTo(Device.CPU);
        // the sha256 the reference manifest gives for this ONNX file
        assertThat(info.modelSha256()).isEqualTo("759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e");
    }

    @Test
    void batchResultsComeBackInInputOrderWhateverTheLengths() {
        List<String> shuffled = new ArrayList<>(sentences);
        Collections.shuffle(shuffled, new java.util.Random(3));
        Embeddings batch = embedder.embed(shuffled);
        for (int i = 0; i < shuffled.size(); i += 7) {
            float[] alone = embedder.embed(shuffled.get(i));
            assertThat(Reference.cosine(batch.vector(i), alone)).as("row %d", i).isGreaterThan(0.99999);
        }
    }

    @Test
    void smallBatchesAndTokenBudgetsGiveTheSameVectors() throws Exception {
        try (Embedder tiny = Embedder.open(
                ModelSource.defaultModel(),
                EmbedOptions.defaults().withMaxBatchSize(3).withMaxBatchTokens(64))) {
            Embeddings a = tiny.embed(sentences);
            Embeddings b = embedder.embed(sentences);
            for (int i = 0; i < sentences.size(); i++) {
                assertThat(Reference.cosine(a.vector(i), b.vector(i))).isGreaterThan(0.99999);
            }
        }
    }

    @Test
    void vectorsAreUnitLengthAndUsageCountsRealTokens() {
        Embeddings e = embedder.embed(List.of("Hello world", "a"));
        for (int i = 0; i < 2; i++) {
            double norm = Math.sqrt(dot(e.vector(i), e.vector(i)));
            assertThat(norm).isCloseTo(1.0, within(1e-5));
        }
        assertThat(e.tokenCount(0)).isEqualTo(4); // [CLS] hello world [SEP]
        assertThat(e.tokenCount(1)).isEqualTo(3);
        assertThat(e.totalTokens()).isEqualTo(7);
    }

    @Test
    void noNormalizeGivesTheRawMeanPooledVector() throws Exception {
        try (Embedder raw = Embedder.open(
                ModelSource.defaultModel(), EmbedOptions.defaults().withNormalize(false))) {
            float[] v = raw.embed("The quick brown fox");
            float[] n = embedder.embed("The quick brown fox");
            double norm = Math.sqrt(dot(v, v));
            assertThat(norm).isNotCloseTo(1.0, within(1e-3));
            for (int d = 0; d < v.length; d++) assertThat(v[d] / norm).isCloseTo(n[d], within(1e-5));
        }
    }

    @Test
    void emptyStringIsEmbeddedAsClsSep() {
        assertThat(embedder.tokenIds("")).containsExactly(101, 102);
        float[] v = embedder.embed("");
        assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void emptyListGivesEmptyResult() {
        Embeddings e = embedder.embed(List.of());
        assertThat(e.size()).isZero();
        assertThat(e.totalTokens()).isZero();
    }

    @Test
    void nullListAndNullElementAreRejectedNamingTheIndex() {
        assertThatThrownBy(() -> embedder.embed((List<String>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> embedder.embed(Arrays.asList("a", "b", null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("texts[2]");
    }

    @Test
    void longTextsAreTruncatedAt256KeepingTheFinalSep() {
        String longText = "word ".repeat(600);
        long[] ids = embedder.tokenIds(longText);
        assertThat(ids).hasSize(256);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[255]).isEqualTo(102);
        assertThat(embedder.countTokens(longText)).isEqualTo(602);
        assertThat(embedder.embed(List.of(longText)).tokenCount(0)).isEqualTo(256);
    }

    @Test
    void errorPolicyNamesTheIndexAndTokenCount() throws Exception {
        try (Embedder strict = Embedder.open(
                ModelSource.defaultModel(), EmbedOptions.defaults().withLongTextPolicy(LongTextPolicy.ERROR))) {
            assertThatThrownBy(() -> strict.embed(List.of("short", "word ".repeat(300))))
                    .isInstanceOf(InputTooLongException.class)
                    .hasMessageContaining("input 1 has 302 tokens")
                    .hasMessageContaining("at most 256");
            assertThat(strict.embed(List.of("short")).size()).isEqualTo(1);
        }
    }

    @Test
    void chunkPolicyAveragesWindowsWeightedByTokens() throws Exception {
        String first = "The harbor defenses of the Atlantic coast need attention. ".repeat(20);
        String second = "Agriculture and the public lands occupied the Congress for many months. ".repeat(20);
        try (Embedder chunking = Embedder.open(
                ModelSource.defaultModel(),
                EmbedOptions.defaults().withLongTextPolicy(LongTextPolicy.CHUNK).withMaxTokens(64))) {
            Embeddings e = chunking.embed(List.of(first + second));
            assertThat(e.tokenCount(0)).isGreaterThan(64);
            float[] v = e.vector(0);
            // the chunked vector is close to both halves' topics, and closer to both than either is to the other
            double toFirst = Reference.cosine(v, chunking.embed(first));
            double toSecond = Reference.cosine(v, chunking.embed(second));
            double between = Reference.cosine(chunking.embed(first), chunking.embed(second));
            assertThat(toFirst).isGreaterThan(between);
            assertThat(toSecond).isGreaterThan(between);
            assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void concurrentUseFromEightThreadsGivesTheSameVectorsAsSequentialUse() throws Exception {
        float[][] sequential = embedder.embed(sentences).toArray();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String s : sentences) futures.add(pool.submit(() -> embedder.embed(s)));
            }
            for (int i = 0; i < futures.size(); i++) {
                float[] v = futures.get(i).get();
                assertThat(Reference.cosine(v, sequential[i % sentences.size()]))
                        .isGreaterThan(0.99999);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void healthProbeEmbedsAndChecksTheNorm() {
        Health health = embedder.health();
        assertThat(health.healthy()).isTrue();
        assertThat(health.detail()).contains("cpu");
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFailsClearly() throws Exception {
        Embedder e = Embedder.open(
                ModelSource.defaultModel(), EmbedOptions.defaults().withWarmUp(false));
        e.close();
        e.close();
        assertThatThrownBy(() -> e.embed("x")).isInstanceOf(OnyxException.class).hasMessageContaining("closed");
        assertThat(e.health().healthy()).isFalse();
    }

    @Test
    void cudaRequestFallsBackToCpuAndSaysSo() throws Exception {
        EmbedOptions cuda = EmbedOptions.defaults()
                .withRuntime(EmbedOptions.defaults().runtime().withDevice(Device.CUDA));
        try (Embedder e = Embedder.open(ModelSource.defaultModel(), cuda)) {
            assertThat(e.info().requestedDevice()).isEqualTo(Device.CUDA);
            assertThat(e.info().device()).isEqualTo(Device.CPU);
        }
        EmbedOptions strict = cuda.withRuntime(cuda.runtime().withStrictDevice(true));
        assertThatThrownBy(() -> Embedder.open(ModelSource.defaultModel(), strict))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("cuda is unavailable");
    }

    @Test
    void unknownModelNameListsTheCatalog() {
        assertThatThrownBy(() -> ModelSource.parse("no-such-model"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("all-minilm-l6-v2")
                .hasMessageContaining("model folder");
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
