package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeatExportRoundTripTest {
    private static final int GENOMES = 220;
    private static final int[] BATCH_SIZES = {1, 7, 64};

    @TempDir
    Path dir;

    @Test
    void randomGenomesRunInOnnxRuntimeAsInJavaAndPassTheChecker() throws Exception {
        RandomGenomes random = new RandomGenomes(20240611L);
        List<Path> files = new ArrayList<>();
        Set<NeatActivation> seen = EnumSet.noneOf(NeatActivation.class);
        int hiddenGenomes = 0;
        int widened = 0;
        for (int n = 0; n < GENOMES; n++) {
            NeatGenome genome = random.next(8);
            genome.nodes().forEach(node -> seen.add(node.activation()));
            hiddenGenomes += genome.nodes().size() > genome.outputs() ? 1 : 0;
            Path file = dir.resolve("genome" + n + ".onnx");
            NeatExporter.export(genome).writeTo(file);
            files.add(file);
            widened += assertSameAsJava(genome, file, random, "genome " + n + " " + genome.toJson());
        }
        assertThat(seen).containsExactlyInAnyOrder(NeatActivation.values());
        assertThat(hiddenGenomes).isGreaterThan(GENOMES / 2);
        System.out.println("NEAT round trip: " + GENOMES + " genomes x batches 1/7/64; elements needing the"
                + " sensitivity term: " + widened);
        OnnxChecker.assertValid(files);
    }

    @Test
    void theIssueExampleGenomeIgnoresTheDisabledConnection() throws Exception {
        NeatGenome genome = NeatGenome.parse("""
                {"inputs": 2, "outputs": 1,
                 "nodes": [{"id": 0, "bias": -0.3, "response": 1.0, "activation": "sigmoid", "aggregation": "sum"},
                           {"id": 5, "bias": 0.8, "response": 1.0, "activation": "tanh", "aggregation": "sum"}],
                 "connections": [{"in": -1, "out": 5, "weight": 1.7, "enabled": true, "innovation": 3},
                                 {"in": -2, "out": 0, "weight": -0.9, "enabled": true, "innovation": 4},
                                 {"in": 5, "out": 0, "weight": 2.1, "enabled": false, "innovation": 5}]}
                """);
        double[] out = NeatEvaluator.of(genome).activate(new double[] {0.5, 0.25});
        double expected = 1.0 / (1.0 + Math.exp(-5.0 * (-0.3 - 0.9 * 0.25)));
        assertThat(out[0]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        Path file = dir.resolve("example.onnx");
        NeatExporter.export(genome).writeTo(file);
        assertSameAsJava(genome, file, new RandomGenomes(1), "example");
        OnnxChecker.assertValid(List.of(file));
    }

    /** Returns how many output elements needed the sensitivity term of the bound. */
    private static int assertSameAsJava(NeatGenome genome, Path file, RandomGenomes random, String what)
            throws Exception {
        NeatEvaluator evaluator = NeatEvaluator.of(genome);
        List<NeatEvaluator> perturbed = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            perturbed.add(NeatEvaluator.of(random.perturb(genome, 1e-6)));
        }
        int widened = 0;
        try (OnnxModel model = OnnxModel.load(file, RuntimeOptions.defaults())) {
            for (int batch : BATCH_SIZES) {
                float[] x = random.inputs(batch * genome.inputs());
                Map<String, Tensor> out = model.run(Map.of("input", Tensor.ofFloats(x, batch, genome.inputs())));
                Tensor y = out.get("output");
                assertThat(y.shape()).containsExactly(batch, genome.outputs());
                double[] expected = expected(evaluator, x, batch, genome);
                double[] sensitivity = new double[expected.length];
                for (NeatEvaluator p : perturbed) {
                    double[] moved = expected(p, x, batch, genome);
                    for (int i = 0; i < moved.length; i++) {
                        sensitivity[i] = Math.max(sensitivity[i], Math.abs(moved[i] - expected[i]));
                    }
                }
                widened += Tolerance.assertClose(y.floats(), expected, sensitivity, what + " batch " + batch);
            }
        }
        return widened;
    }

    private static double[] expected(NeatEvaluator evaluator, float[] x, int batch, NeatGenome genome) {
        double[] expected = new double[batch * genome.outputs()];
        for (int row = 0; row < batch; row++) {
            double[] in = new double[genome.inputs()];
            for (int i = 0; i < in.length; i++) {
                in[i] = x[row * genome.inputs() + i];
            }
            System.arraycopy(evaluator.activate(in), 0, expected, row * genome.outputs(), genome.outputs());
        }
        return expected;
    }
}
