package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {
    @TempDir
    Path dir;

    static byte[] tinyModel() throws IOException {
        try (InputStream in = OnnxModelTest.class.getResourceAsStream("/tiny.onnx")) {
            return in.readAllBytes();
        }
    }

    static float[] expectedY(float[] x) {
        float[][] w = {{1, -1}, {2, 0.5f}, {-3, 1}};
        float[] b = {0.25f, -0.5f};
        int rows = x.length / 3;
        float[] y = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 2; c++) {
                float z = b[c];
                for (int k = 0; k < 3; k++) z += x[r * 3 + k] * w[k][c];
                y[r * 2 + c] = Math.max(0, z);
            }
        }
        return y;
    }

    @Test
    void describesInputsAndOutputsWithSymbolicDimensions() throws IOException {
        try (OnnxModel model = OnnxModel.load(tinyModel(), RuntimeOptions.defaults())) {
            assertThat(model.inputs()).extracting(TensorSpec::name).containsExactly("x", "ids");
            TensorSpec x = model.inputs().get(0);
            assertThat(x.type()).isEqualTo(ElementType.FLOAT);
            assertThat(x.shape().get(0).isDynamic()).isTrue();
            assertThat(x.shape().get(0).symbol()).contains("batch");
            assertThat(x.shape().get(1)).isEqualTo(Dimension.fixed(3));
            assertThat(model.inputs().get(1).type()).isEqualTo(ElementType.INT64);
            assertThat(model.outputs()).extracting(TensorSpec::name).containsExactly("y", "total");
            assertThat(model.outputs().get(0).lastDimension()).isEqualTo(2);
        }
    }

    @Test
    void runsWithNamedTensorsAndReturnsHeapCopies() throws IOException {
        Path file = dir.resolve("tiny.onnx");
        Files.write(file, tinyModel());
        float[] x = {1, 2, 3, -1, 0.5f, 4};
        Map<String, Tensor> out;
        try (OnnxModel model = OnnxModel.load(file, RuntimeOptions.defaults())) {
            out = model.run(
                    Map.of("x", Tensor.ofFloats(x, 2, 3), "ids", Tensor.ofLongs(new long[] {1, 2, 3, 4}, 2, 2)));
        }
        // the model is closed: the results must still be readable
        assertThat(out.keySet()).containsExactly("y", "total");
        assertThat(out.get("y").shape()).containsExactly(2, 2);
        float[] y = out.get("y").floats();
        float[] expected = expectedY(x);
        for (int i = 0; i < y.length; i++) {
            assertThat(y[i]).as("y[%d]", i).isCloseTo(expected[i], within(1e-6f));
        }
        assertThat(out.get("total").shape()).isEmpty();
        assertThat(out.get("total").floats()[0]).isEqualTo(10f);
    }

    @Test
    void runsOnlyRequestedOutputs() throws IOException {
        try (OnnxModel model = OnnxModel.load(tinyModel(), RuntimeOptions.defaults())) {
            Map<String, Tensor> out = model.run(
                    Map.of("x", Tensor.ofFloats(new float[3], 1, 3), "ids", Tensor.ofLongs(new long[] {7}, 1, 1)),
                    Set.of("total"));
            assertThat(out.keySet()).containsExactly("total");
        }
    }

    @Test
    void concurrentRunsGiveTheSameResultsAsSequentialOnes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (OnnxModel model = OnnxModel.load(tinyModel(), RuntimeOptions.defaults())) {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                float[] x = {t, t * 0.5f, -t};
                futures.add(pool.submit(() -> model.run(
                                Map.of("x", Tensor.ofFloats(x, 1, 3), "ids", Tensor.ofLongs(new long[] {1}, 1, 1)))
                        .get("y")
                        .floats()));
            }
            for (int t = 0; t < 64; t++) {
                assertThat(futures.get(t).get()).containsExactly(expectedY(new float[] {t, t * 0.5f, -t}));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingAndUnknownInputsAreNamed() throws IOException {
        try (OnnxModel model = OnnxModel.load(tinyModel(), RuntimeOptions.defaults())) {
            assertThatThrownBy(() -> model.run(Map.of("x", Tensor.ofFloats(new float[3], 1, 3))))
                    .isInstanceOf(OnyxException.class)
                    .hasMessageContaining("missing inputs")
                    .hasMessageContaining("ids");
            assertThatThrownBy(() -> model.run(Map.of("nope", Tensor.ofFloats(new float[3], 1, 3))))
                    .isInstanceOf(OnyxException.class)
                    .hasMessageContaining("unknown input 'nope'");
        }
    }

    @Test
    void wrongShapeIsReportedByTheRuntimeAsOnyxException() throws IOException {
        try (OnnxModel model = OnnxModel.load(tinyModel(), RuntimeOptions.defaults())) {
            assertThatThrownBy(() -> model.run(Map.of(
                            "x", Tensor.ofFloats(new float[4], 1, 4), "ids", Tensor.ofLongs(new long[] {1}, 1, 1))))
                    .isInstanceOf(OnyxException.class)
                    .hasMessageContaining("ONNX Runtime");
        }
    }

    @Test
    void closeIsIdempotentAndRunAfterCloseFailsClearly() throws IOException {
        OnnxModel model = OnnxModel.load(tinyModel(), RuntimeOptions.defaults());
        model.close();
        model.close();
        assertThatThrownBy(() -> model.run(Map.of()))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("nope.onnx");
        assertThatThrownBy(() -> OnnxModel.load(missing, RuntimeOptions.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void anEmptyFileIsNotAnOnnxModelInOneLine() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        assertThatThrownBy(() -> OnnxModel.load(empty, RuntimeOptions.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("not an ONNX model: " + empty + " (the file is empty)");
    }

    @Test
    void aFileOfOtherBytesIsNotAnOnnxModelWithoutCppDetail() throws IOException {
        Path text = Files.writeString(dir.resolve("text.onnx"), "this is not a model");
        Path truncated = dir.resolve("truncated.onnx");
        byte[] bytes = tinyModel();
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 7));
        for (Path file : List.of(text, truncated)) {
            assertThatThrownBy(() -> OnnxModel.load(file, RuntimeOptions.defaults()))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageStartingWith("not an ONNX model: " + file + " (")
                    .hasMessageEndingWith(")")
                    .satisfies(e -> assertThat(e.getMessage())
                            .doesNotContain("::")
                            .doesNotContain(".cc:")
                            .doesNotContain("Error code -")
                            .doesNotContain("\n"));
        }
    }

    @Test
    void ortMessagesLoseTheirCppSignatures() {
        String ort = "Error code - ORT_FAIL - message: Load model from m.onnx failed:/onnxruntime_src/onnxruntime/core/"
                + "graph/model.cc:166 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&,"
                + " const onnxruntime::logging::Logger&) ModelProto does not have a graph.";
        assertThat(OrtBridge.clean(ort)).isEqualTo("Load model from m.onnx failed:ModelProto does not have a graph.");
    }

    @Test
    void ortLogLevelIsFatalUnlessChosen() {
        assertThat(OrtLogging.parse(null)).isEqualTo(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        assertThat(OrtLogging.parse(" Warning ")).isEqualTo(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
        assertThat(OrtLogging.parse("error")).isEqualTo(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        assertThat(OrtLogging.parse("loud")).isEqualTo(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    }

    @Test
    void corruptFileIsAnInvalidModelAtLoadTime() throws IOException {
        Path corrupt = dir.resolve("corrupt.onnx");
        byte[] bytes = tinyModel();
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> OnnxModel.load(corrupt, RuntimeOptions.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(corrupt.toString());
    }

    @Test
    void cudaRequestOnACpuOnlyBuildFallsBackAndReportsCpu() throws IOException {
        assertThat(OnnxModel.availableDevices()).doesNotContain(Device.CUDA);
        try (OnnxModel model =
                OnnxModel.load(tinyModel(), RuntimeOptions.defaults().withDevice(Device.CUDA))) {
            assertThat(model.device()).isEqualTo(Device.CPU);
            assertThat(model.deviceSelection().requested()).isEqualTo(Device.CUDA);
            assertThat(model.deviceSelection().fallbackReason())
                    .get()
                    .asString()
                    .contains("cuda is unavailable");
        }
    }

    @Test
    void strictCudaRequestOnACpuOnlyBuildFails() {
        RuntimeOptions strict =
                RuntimeOptions.defaults().withDevice(Device.CUDA).withStrictDevice(true);
        assertThatThrownBy(() -> OnnxModel.load(tinyModel(), strict))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("device cuda is unavailable")
                .hasMessageContaining("strict");
    }

    @Test
    void autoOnACpuOnlyBuildUsesCpuWithoutWarning() throws IOException {
        try (OnnxModel model = OnnxModel.load(tinyModel(), RuntimeOptions.defaults())) {
            assertThat(model.device()).isEqualTo(Device.CPU);
            assertThat(model.deviceSelection().fellBack()).isFalse();
        }
    }

    @Test
    void sessionsWithoutSpinningGiveTheSameResults() throws IOException {
        RuntimeOptions calm = RuntimeOptions.defaults().withSpinWait(false);
        assertThat(calm.spinWait()).isFalse();
        assertThat(RuntimeOptions.defaults().spinWait()).isTrue();
        float[] x = {0.5f, -2, 3};
        try (OnnxModel model = OnnxModel.load(tinyModel(), calm)) {
            Map<String, Tensor> out =
                    model.run(Map.of("x", Tensor.ofFloats(x, 1, 3), "ids", Tensor.ofLongs(new long[] {2}, 1, 1)));
            assertThat(out.get("y").floats()).containsExactly(expectedY(x));
        }
    }

    @Test
    void optimizedGraphIsCachedWhenAsked() throws IOException {
        Path cache = dir.resolve("tiny.opt.onnx");
        try (OnnxModel model =
                OnnxModel.load(tinyModel(), RuntimeOptions.defaults().withOptimizedModelCache(cache))) {
            assertThat(model.device()).isEqualTo(Device.CPU);
        }
        assertThat(cache).isNotEmptyFile();
    }
}
