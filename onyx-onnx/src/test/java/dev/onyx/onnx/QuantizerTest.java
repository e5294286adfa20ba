package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two dense layers (MatMul + bias Add, Relu between) quantized from real calibration and run in ONNX Runtime. */
class QuantizerTest {
    private static final int IN = 16;
    private static final int HIDDEN = 32;
    private static final int OUT = 8;

    @TempDir
    Path dir;

    private Path model() throws Exception {
        Random random = new Random(11);
        OnnxGraphBuilder g = OnnxGraphBuilder.create("dense");
        ValueRef x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        ValueRef w1 = g.initializer("w1", gaussian(random, IN * HIDDEN), IN, HIDDEN);
        ValueRef b1 = g.initializer("b1", gaussian(random, HIDDEN), HIDDEN);
        ValueRef w2 = g.initializer("w2", gaussian(random, HIDDEN * OUT), HIDDEN, OUT);
        ValueRef h = g.node(Op.RELU, List.of(g.node(Op.ADD, List.of(g.node(Op.MATMUL, List.of(x, w1)), b1))));
        ValueRef y = g.node(Op.MATMUL, "y", List.of(h, w2));
        g.output(y, ElementType.FLOAT, Dim.of("batch"), Dim.of(OUT));
        Path file = dir.resolve("dense.onnx");
        g.writeTo(file);
        return file;
    }

    @Test
    void quantizedDenseLayersMatchFp32AndPassTheChecker() throws Exception {
        Path fp32 = model();
        Path calibration = dir.resolve("calibration.onnx");
        List<Quantizer.Site> sites = Quantizer.writeCalibrationCopy(fp32, calibration);
        assertThat(sites).extracting(Quantizer.Site::op).containsExactly("MatMul", "MatMul");
        float[] inputs = gaussian(new Random(3), 64 * IN);
        Map<String, ActivationStatistics> stats = new HashMap<>();
        try (OnnxModel model = OnnxModel.load(calibration, RuntimeOptions.defaults())) {
            Map<String, Tensor> out = model.run(Map.of("x", Tensor.ofFloats(inputs, 64, IN)));
            for (Quantizer.Site site : sites) {
                ActivationStatistics s = new ActivationStatistics();
                s.add(out.get(site.activation()).floatBuffer(), site == sites.get(0) ? IN : HIDDEN);
                stats.put(site.activation(), s);
            }
        }
        Path int8 = dir.resolve("int8.onnx");
        Quantizer.Report report = Quantizer.quantize(
                fp32, int8, stats, Quantizer.Settings.defaults().withMaxStep(Double.POSITIVE_INFINITY));
        assertThat(report.quantized()).hasSize(2);
        ModelProto written = ModelProto.parseFrom(Files.readAllBytes(int8));
        assertThat(written.getGraph().getNodeList())
                .extracting(NodeProto::getOpType)
                .containsExactly(
                        "QuantizeLinear", "MatMulIntegerToFloat", "Relu", "QuantizeLinear", "MatMulIntegerToFloat");
        float[] expected = run(fp32, inputs);
        float[] actual = run(int8, inputs);
        double worst = 1;
        for (int row = 0; row < 64; row++) {
            worst = Math.min(worst, cosine(expected, actual, row * OUT, OUT));
        }
        assertThat(worst).as("worst row cosine int8 vs fp32").isGreaterThan(0.98);
        OnnxChecker.assertValid(
                List.of(int8)); // the calibration copy is a temporary file whose extra outputs carry no shape
    }

    @Test
    void keptAndWideActivationsStayFp32() throws Exception {
        Path fp32 = model();
        List<Quantizer.Site> sites = Quantizer.sites(fp32);
        Map<String, ActivationStatistics> stats = new HashMap<>();
        ActivationStatistics narrow = new ActivationStatistics();
        narrow.add(FloatBuffer.wrap(new float[] {-1f, 1f}));
        ActivationStatistics wide = new ActivationStatistics();
        wide.add(FloatBuffer.wrap(new float[] {0f, 100f}));
        stats.put(sites.get(0).activation(), narrow);
        stats.put(sites.get(1).activation(), wide);
        Path int8 = dir.resolve("int8.onnx");
        Quantizer.Report report = Quantizer.quantize(fp32, int8, stats, Quantizer.Settings.defaults());
        assertThat(report.quantized()).containsExactly(sites.get(0).node());
        assertThat(report.keptFp32()).containsExactly(sites.get(1).node()); // step 100/255 > 0.05
        Quantizer.Settings keepFirst = Quantizer.Settings.defaults()
                .withMaxStep(Double.POSITIVE_INFINITY)
                .withKeepFp32(Set.of(sites.get(0).node()));
        assertThat(Quantizer.quantize(fp32, int8, stats, keepFirst).quantized())
                .containsExactly(sites.get(1).node());
        Quantizer.Settings keepAll =
                keepFirst.withKeepFp32(Set.of(sites.get(0).node(), sites.get(1).node()));
        assertThatThrownBy(() -> Quantizer.quantize(fp32, int8, stats, keepAll))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("nothing in");
    }

    private static float[] run(Path file, float[] inputs) throws Exception {
        try (OnnxModel model = OnnxModel.load(file, RuntimeOptions.defaults())) {
            return model.run(Map.of("x", Tensor.ofFloats(inputs, inputs.length / IN, IN)))
                    .get("y")
                    .floats();
        }
    }

    private static double cosine(float[] a, float[] b, int offset, int n) {
        double dot = 0, na = 0, nb = 0;
        for (int i = offset; i < offset + n; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static float[] gaussian(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) random.nextGaussian();
        return out;
    }
}
