package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.onnx.LayerStack;
import dev.onyx.onnx.LayerStackEvaluator;
import dev.onyx.onnx.LayerStackSpec;
import dev.onyx.onnx.NeatEvaluator;
import dev.onyx.onnx.NeatGenome;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportRunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Float32 inference against a double-precision evaluator. */
    private static final double TOLERANCE = 1e-5;

    /** Two inputs, a hidden tanh node, two outputs (sigmoid, relu); one disabled connection. */
    static final String GENOME = """
            {"inputs": 2, "outputs": 2,
             "nodes": [{"id": 0, "bias": 0.1, "activation": "sigmoid"},
                       {"id": 1, "bias": -0.2, "response": 1.5, "activation": "relu"},
                       {"id": 5, "bias": 0.3, "activation": "tanh"}],
             "connections": [{"in": -1, "out": 5, "weight": 0.7}, {"in": -2, "out": 5, "weight": -1.1},
                             {"in": 5, "out": 0, "weight": 1.3}, {"in": -1, "out": 1, "weight": 0.9},
                             {"in": -2, "out": 1, "weight": 2.0, "enabled": false}, {"in": 5, "out": 1, "weight": 0.4}]}
            """;

    @TempDir
    Path dir;

    static Path writeGenome(Path dir) throws Exception {
        Path genome = dir.resolve("genome.json");
        Files.writeString(genome, GENOME);
        return genome;
    }

    @Test
    void anExportedGenomeRunsLikeTheJavaEvaluator() throws Exception {
        Path genome = writeGenome(dir);
        Path onnx = dir.resolve("out/net.onnx");

        CliRunner.Result export = CliRunner.run("export", "neat", genome.toString(), "-o", onnx.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(onnx).isRegularFile();

        double[][] batch = {{0.5, -0.25}, {1.0, 2.0}, {-3.0, 0.0}};
        CliRunner.Result run =
                CliRunner.run("run", onnx.toString(), "--input", "input=" + JSON.writeValueAsString(batch));
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode output = JSON.readTree(run.out()).path("outputs").path("output");
        assertThat(output.path("shape").toString()).isEqualTo("[3,2]");
        assertThat(output.path("type").asText()).isEqualTo("float");
        double[][] expected = NeatEvaluator.of(NeatGenome.parse(GENOME)).activate(batch);
        for (int row = 0; row < 3; row++) {
            for (int k = 0; k < 2; k++) {
                assertThat(output.path("data").get(row * 2 + k).asDouble())
                        .isCloseTo(expected[row][k], within(TOLERANCE));
            }
        }
    }

    @Test
    void anExportedLayerStackRunsLikeTheJavaEvaluatorWithAGivenShape() throws Exception {
        Path spec = dir.resolve("text-classifier.json");
        try (InputStream in = getClass().getResourceAsStream("/text-classifier.json")) {
            Files.copy(in, spec);
        }
        Path onnx = dir.resolve("model.onnx");
        assertThat(CliRunner.run("export", "layers", spec.toString(), "--output", onnx.toString())
                        .exitCode())
                .isZero();

        Random random = new Random(7);
        long[][] tokens = new long[2][40];
        StringBuilder flat = new StringBuilder("[");
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 40; t++) {
                tokens[r][t] = t < 25 + r * 10 ? 1 + random.nextInt(999) : 0;
                flat.append(r + t == 0 ? "" : ",").append(tokens[r][t]);
            }
        }
        CliRunner.Result run =
                CliRunner.run("run", onnx.toString(), "--input", "tokens=" + flat + "]", "--shape", "tokens=2,40");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode output = JSON.readTree(run.out()).path("outputs").path("output");
        assertThat(output.path("shape").toString()).isEqualTo("[2,4]");
        double[][] expected = LayerStackEvaluator.of(LayerStack.load(LayerStackSpec.read(spec)))
                .evaluate(tokens);
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 4; k++) {
                assertThat(output.path("data").get(r * 4 + k).asDouble()).isCloseTo(expected[r][k], within(TOLERANCE));
            }
        }
    }

    @Test
    void badInputsGiveOneLineErrorsAndUsageExitCodes() throws Exception {
        Path onnx = dir.resolve("net.onnx");
        assertThat(CliRunner.run("export", "neat", writeGenome(dir).toString(), "-o", onnx.toString())
                        .exitCode())
                .isZero();
        String model = onnx.toString();

        assertError(
                CliRunner.run("run", dir.resolve("nope.onnx").toString(), "--input", "input=[[1,2]]"),
                1,
                "model file not found");
        assertError(
                CliRunner.run("run", model, "--input", "input=[[1,2],[3]]"), 2, "input 'input' is ragged at depth 1");
        assertError(
                CliRunner.run("run", model, "--input", "inptu=[[1,2]]"),
                2,
                "unknown input 'inptu'; the model's inputs are [input:float[batch, 2]]");
        assertError(
                CliRunner.run("run", model, "--input", "input=[1,2,3]", "--shape", "input=2,2"),
                2,
                "input 'input' has 3 values but shape [2, 2] needs 4");
        assertError(
                CliRunner.run("run", model, "--input", "input=[1,2,3]", "--shape", "input=1,3"),
                2,
                "has shape [1, 3] but the model expects [batch, 2]");
        assertError(
                CliRunner.run("run", model, "--input", "input=[[1,2]", "--shape", "input=1,2"),
                2,
                "--input input is not valid JSON");
        assertError(CliRunner.run("run", model), 2, "missing inputs [input:float[batch, 2]]");
        assertError(
                CliRunner.run("export", "neat", dir.resolve("missing.json").toString(), "-o", model),
                1,
                "file not found");
        Files.writeString(dir.resolve("bad.json"), "{\"inputs\": 2}");
        assertError(CliRunner.run("export", "neat", dir.resolve("bad.json").toString(), "-o", model), 1, "bad.json");
    }

    private static void assertError(CliRunner.Result result, int exitCode, String message) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines().findFirst().orElseThrow())
                .startsWith("onyx: ")
                .contains(message);
    }
}
