package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.onnx.NeatGenome;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeatCommandTest {
    @TempDir
    Path dir;

    @Test
    void xorRunPrintsGenerationsAndWritesJsonAndTheBestGenomeAsOnnx() throws Exception {
        Path json = dir.resolve("run.json");
        Path onnx = dir.resolve("best.onnx");
        CliRunner.Result r = CliRunner.run(
                "neat",
                "xor",
                "--seed",
                "1",
                "--generations",
                "4",
                "--population",
                "60",
                "--json",
                json.toString(),
                "--export-best",
                onnx.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.subList(0, 4)).allSatisfy(l -> assertThat(l).matches("gen +\\d+ +best .* species .* size .*"));
        NeatGenome printed = NeatGenome.parse(lines.get(lines.size() - 1));

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("solved").asBoolean()).isFalse();
        assertThat(root.get("generations").asInt()).isEqualTo(4);
        assertThat(root.get("history")).hasSize(4);
        assertThat(root.get("history").get(3).get("generation").asInt()).isEqualTo(3);
        assertThat(root.get("history").get(0).has("species")).isTrue();
        assertThat(NeatGenome.parse(root.get("best_genome").toString())).isEqualTo(printed);
        assertThat(root.get("best_fitness").asDouble()).isGreaterThan(2.0);

        try (OnnxModel model = OnnxModel.load(onnx, RuntimeOptions.defaults())) {
            Tensor out = model.run(Map.of("input", Tensor.ofFloats(new float[] {0, 1}, 1, 2)))
                    .get("output");
            assertThat(out.floats()).hasSize(1);
        }
    }

    @Test
    void anUnknownEvaluatorIsAUsageErrorListingTheAllowedOnes() {
        CliRunner.Result r = CliRunner.run("neat", "xor", "--evaluator", "gpu");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("unknown evaluator 'gpu'; allowed: native, onnx");
    }

    @Test
    void zeroGenerationsIsAUsageError() {
        CliRunner.Result r = CliRunner.run("neat", "cartpole", "--generations", "0");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("--generations must be at least 1, got 0");
    }
}
