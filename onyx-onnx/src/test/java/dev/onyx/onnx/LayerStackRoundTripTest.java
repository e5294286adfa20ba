package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStackRoundTripTest {
    private static final int STACKS = 60;
    private static final int[] BATCH_SIZES = {1, 7, 64};
    private static final String[] ACTIVATIONS = {"linear", "relu", "sigmoid", "tanh", "softmax"};

    @TempDir
    Path dir;

    @Test
    void randomLayerStacksRunInOnnxRuntimeAsInJavaAndPassTheChecker() throws Exception {
        SplittableRandom random = new SplittableRandom(77L);
        List<Path> files = new ArrayList<>();
        for (int n = 0; n < STACKS; n++) {
            String json = randomSpec(random, n);
            LayerStack stack = LayerStack.load(LayerStackSpec.parse(json, dir));
            Path file = dir.resolve("stack" + n + ".onnx");
            LayerStackExporter.export(stack).writeTo(file);
            files.add(file);
            assertSameAsJava(stack, file, random, "stack " + n + " " + json);
        }
        OnnxChecker.assertValid(files);
    }

    @Test
    void theIssueTextClassifierGivesProbabilitiesEqualToJava() throws Exception {
        LayerStack stack = LayerStack.load(LayerStackSpec.parse(resource("/text-classifier.json"), dir));
        Path file = dir.resolve("text-classifier.onnx");
        LayerStackExporter.export(stack).writeTo(file);
        assertSameAsJava(stack, file, new SplittableRandom(5), "text-classifier");
        double[][] probabilities = LayerStackEvaluator.of(stack).evaluate(new long[][] {new long[40]});
        assertThat(probabilities[0]).hasSize(4);
        assertThat(java.util.Arrays.stream(probabilities[0]).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        OnnxChecker.assertValid(List.of(file));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = LayerStackRoundTripTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String randomSpec(SplittableRandom random, int n) {
        boolean tokens = random.nextInt(10) < 7;
        int length = 1 + random.nextInt(12);
        StringBuilder layers = new StringBuilder();
        boolean sequence = false;
        if (tokens) {
            layers.append(String.format(
                    "{\"type\":\"embedding\",\"vocab\":%d,\"dim\":%d,\"mask_zero\":%b},",
                    5 + random.nextInt(40), 1 + random.nextInt(16), random.nextBoolean()));
            sequence = true;
        }
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            if (sequence && random.nextInt(3) == 0) {
                layers.append("{\"type\":\"global_average_pooling_1d\"},");
                sequence = false;
            }
            if (random.nextInt(4) == 0) {
                layers.append("{\"type\":\"dropout\",\"rate\":0.3},");
            }
            layers.append(String.format(
                    "{\"type\":\"dense\",\"units\":%d,\"activation\":\"%s\"},",
                    1 + random.nextInt(12), ACTIVATIONS[random.nextInt(ACTIVATIONS.length)]));
        }
        if (sequence && random.nextBoolean()) {
            layers.append("{\"type\":\"global_average_pooling_1d\"},");
        }
        layers.setLength(layers.length() - 1);
        return String.format(
                "{\"name\":\"stack%d\",\"input\":{\"name\":\"x\",\"type\":\"%s\",\"length\":%d},\"layers\":[%s],"
                        + "\"weights\":\"seeded\",\"seed\":%d}",
                n,
                tokens ? (random.nextBoolean() ? "int64" : "int32") : "float32",
                length,
                layers,
                random.nextInt(1000));
    }

    static void assertSameAsJava(LayerStack stack, Path file, SplittableRandom random, String what) throws Exception {
        LayerStackSpec.Input input = stack.spec().input();
        LayerStackEvaluator evaluator = LayerStackEvaluator.of(stack);
        int vocab = stack.spec().layers().get(0) instanceof Layer.Embedding e ? e.vocab() : 0;
        try (OnnxModel model = OnnxModel.load(file, RuntimeOptions.defaults())) {
            for (int batch : BATCH_SIZES) {
                double[][] expected;
                Tensor feed;
                if (input.type() == LayerStackSpec.InputType.FLOAT) {
                    float[] x = new float[batch * input.length()];
                    double[][] rows = new double[batch][input.length()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (2 * random.nextDouble() - 1);
                        rows[i / input.length()][i % input.length()] = x[i];
                    }
                    feed = Tensor.ofFloats(x, batch, input.length());
                    expected = evaluator.evaluate(rows);
                } else {
                    long[][] rows = randomTokens(random, batch, input.length(), vocab);
                    long[] flat = java.util.Arrays.stream(rows)
                            .flatMapToLong(java.util.Arrays::stream)
                            .toArray();
                    feed = input.type() == LayerStackSpec.InputType.INT64
                            ? Tensor.ofLongs(flat, batch, input.length())
                            : Tensor.ofInts(
                                    java.util.Arrays.stream(flat)
                                            .mapToInt(v -> (int) v)
                                            .toArray(),
                                    batch,
                                    input.length());
                    expected = evaluator.evaluate(rows);
                }
                Tensor y =
                        model.run(Map.of(input.name(), feed)).get(stack.spec().outputName());
                assertThat(y.shape()[0]).isEqualTo(batch);
                double[] flatExpected = java.util.Arrays.stream(expected)
                        .flatMapToDouble(java.util.Arrays::stream)
                        .toArray();
                Tolerance.assertClose(y.floats(), flatExpected, what + " batch " + batch);
            }
        }
    }

    /** Token rows with trailing padding (id 0), sometimes all padding, sometimes zeros in the middle. */
    private static long[][] randomTokens(SplittableRandom random, int batch, int length, int vocab) {
        long[][] rows = new long[batch][length];
        for (int r = 0; r < batch; r++) {
            int used = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(length);
            for (int t = 0; t < used; t++) {
                rows[r][t] = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(vocab - 1);
            }
        }
        return rows;
    }
}
