package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
    @TempDir
    Path dir;

    @Test
    void quantizesToAFolderThatEmbedOpens() throws Exception {
        Path out = dir.resolve("int8");
        CliRunner.Result r = CliRunner.run(
                "quantize", "all-minilm-l6-v2", "--output", out.toString(), "--samples", "20", "--min-cosine", "0.98");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("calibrated 20/20 texts").contains("probe cosine vs fp32 worst");
        assertThat(out.resolve("model.onnx")).isRegularFile();
        assertThat(Files.readString(out.resolve("quantization.json"))).contains("\"calibration_texts\" : 20");
        CliRunner.Result embedded = CliRunner.run("embed", "--model", out.toString(), "hello world");
        assertThat(embedded.exitCode()).as(embedded.err()).isZero();
        assertThat(embedded.out()).isNotBlank();
    }

    @Test
    void badArgumentsAreOneLineUsageErrorsAndFailuresExitOne() throws Exception {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("x"), "x");
        assertUsage(CliRunner.run("quantize", "all-minilm-l6-v2", "--output", busy.toString()), "is not empty");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
        assertUsage(
                CliRunner.run(
                        "quantize",
                        "all-minilm-l6-v2",
                        "--output",
                        dir.resolve("a").toString(),
                        "--calibration",
                        empty.toString()),
                "holds no texts");
        assertUsage(
                CliRunner.run(
                        "quantize",
                        "all-minilm-l6-v2",
                        "--output",
                        dir.resolve("b").toString(),
                        "--method",
                        "median"),
                "allowed: minmax, p99.999, p99.99, p99.9");
        CliRunner.Result unknown = CliRunner.run(
                "quantize", "no-such-model-xyz", "--output", dir.resolve("c").toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err().strip().lines()).hasSize(1);
        assertThat(unknown.err()).contains("no-such-model-xyz");
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRunner.Result unwritable = CliRunner.run(
                "quantize", "all-minilm-l6-v2", "--output", file.resolve("sub").toString(), "--samples", "1");
        assertThat(unwritable.exitCode()).isEqualTo(1);
        assertThat(unwritable.err().strip().lines()).hasSize(1);
        assertThat(dir.resolve("a")).doesNotExist();
    }

    private static void assertUsage(CliRunner.Result r, String message) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines().findFirst().orElseThrow()).startsWith("onyx: ");
    }
}
