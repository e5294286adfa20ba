package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.Pooling;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batches run side by side on a one-thread session give the vectors the serial path gives, and fail like it. */
class ParallelBatchesTest {
    private static final RuntimeOptions CPU = RuntimeOptions.defaults().withDevice(Device.CPU);
    private static Path file;
    private static OnnxModel model;
    private static InferenceEngine serial;
    private static List<long[]> sequences;

    @BeforeAll
    static void open() throws Exception {
        Catalog.Entry entry = Catalog.find("all-minilm-l6-v2").orElseThrow();
        ModelDescriptor descriptor = BundledModels.resolve(entry);
        file = descriptor.onnxFile();
        model = OnnxModel.load(file, CPU);
        serial = new InferenceEngine(model, Pooling.MEAN, "minilm");
        sequences = new ArrayList<>();
        try (HfTokenizer tokenizer = HfTokenizer.load(descriptor);
                InputStream in = ParallelBatchesTest.class.getResourceAsStream("/corpus/sotu-every-8th.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (TokenizedText t : tokenizer.encode(List.of(lines).subList(0, 300))) {
                sequences.add(Arrays.copyOf(t.ids(), Math.min(t.ids().length, 256)));
            }
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void threeWorkersGiveTheSerialVectorsInInputOrder() {
        float[][] expected;
        try (ParallelBatches one = new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 1)) {
            expected = one.pooled(sequences, 8, 512, serial);
            assertThat(one.bulkSessionOpen()).isFalse();
        }
        try (ParallelBatches three = new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 3)) {
            float[][] actual = three.pooled(sequences, 8, 512, serial);
            assertThat(three.bulkSessionOpen()).isTrue();
            assertThat(actual).hasNumberOfRows(expected.length);
            for (int i = 0; i < expected.length; i++) {
                for (int d = 0; d < expected[i].length; d++) {
                    assertThat((double) Math.abs(actual[i][d] - expected[i][d]))
                            .as("text %d component %d", i, d)
                            .isLessThan(1e-4 * Math.max(1, Math.abs(expected[i][d])));
                }
            }
        }
    }

    @Test
    void aCallOfOneSmallBatchIsSplitSideBySideWithTheSerialVectors() {
        List<long[]> ten = sequences.subList(20, 30);
        float[][] expected;
        try (ParallelBatches one = new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 1)) {
            expected = one.pooled(ten, 16, 1024, serial);
        }
        try (ParallelBatches two = new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 2)) {
            float[][] actual = two.pooled(ten, 16, 1024, serial);
            assertThat(two.bulkSessionOpen())
                    .as("the split ran on the one-thread session")
                    .isTrue();
            assertThat(actual).hasNumberOfRows(10);
            for (int i = 0; i < 10; i++) {
                for (int d = 0; d < expected[i].length; d++) {
                    assertThat((double) Math.abs(actual[i][d] - expected[i][d]))
                            .as("text %d component %d", i, d)
                            .isLessThan(1e-5 * Math.max(1, Math.abs(expected[i][d])));
                }
            }
        }
    }

    @Test
    void aSingleBatchStaysOnTheCallersSession() {
        try (ParallelBatches three = new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 3)) {
            float[][] one = three.pooled(sequences.subList(0, 4), 16, 1024, serial);
            assertThat(one).hasNumberOfRows(4);
            assertThat(three.bulkSessionOpen()).isFalse();
        }
    }

    @Test
    void aBatchThatFailsFailsTheCallAndTheNextCallWorks() {
        List<long[]> withBad = new ArrayList<>(sequences.subList(0, 100));
        withBad.set(57, new long[] {101, 50_000_000L, 102}); // far outside the 30,522-token vocabulary
        try (ParallelBatches three = new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 3)) {
            assertThatThrownBy(() -> three.pooled(withBad, 4, 256, serial))
                    .isInstanceOf(OnyxException.class)
                    .hasMessageContaining("50000000");
            float[][] fine = three.pooled(sequences.subList(0, 100), 4, 256, serial);
            assertThat(fine).hasNumberOfRows(100);
            for (float[] v : fine) assertThat(v).hasSize(384);
        }
    }

    @Test
    void aClosedRunnerRefusesWorkAndNamesTheModel() {
        ParallelBatches three = new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 3);
        three.close();
        assertThatThrownBy(() -> three.pooled(sequences.subList(0, 50), 4, 256, serial))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("minilm")
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> new ParallelBatches(file, CPU, Pooling.MEAN, "minilm", 0))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void onlyAutomaticThreadsOnTheCpuRunBatchesSideBySide() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ParallelBatches.workersFor(RuntimeOptions.defaults(), Device.CPU))
                .isEqualTo(cores > 1 ? cores : 1);
        assertThat(ParallelBatches.workersFor(RuntimeOptions.defaults().withIntraOpThreads(1), Device.CPU))
                .isEqualTo(1);
        assertThat(ParallelBatches.workersFor(RuntimeOptions.defaults(), Device.CUDA))
                .isEqualTo(1);
    }
}
