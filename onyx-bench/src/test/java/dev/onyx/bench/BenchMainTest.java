package dev.onyx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole macro benchmark, small, with the real contenders and checks what it writes. */
class BenchMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BenchMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: onyx bench");
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() {
        assertThat(run("--n", "-3")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--n must be between 1 and 1000000, was -3");
    }

    @Test
    void unknownModelFailsNamingTheCatalog(@TempDir Path dir) {
        int code = run(
                "--model",
                "gpt-9",
                "--no-cli",
                "--quiet-wait",
                "0",
                "--report",
                dir.resolve("r.md").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown model 'gpt-9'")
                .contains("all-minilm-l6-v2");
    }

    @Test
    void aSmallRunWritesJsonReportAndChartsThatAgree(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("docs/benchmarks.md");
        Path json = dir.resolve("docs/benchmarks.json");

        int code = run(
                "--n",
                "24",
                "--rounds",
                "1",
                "--latency-calls",
                "10",
                "--no-cli",
                "--quiet-wait",
                "0",
                "--report",
                report.toString(),
                "--json",
                json.toString());

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results.path("throughput").findValuesAsText("name"))
                .containsExactly("onyx", "floor", "langchain4j", "onyx-int8");
        assertThat(results.path("latency")).hasSize(3);
        // the floor runs the same file on the same tokens: its vectors are Onyx's up to float rounding
        JsonNode floorParity = results.path("parity").get(0);
        assertThat(floorParity.path("name").asText()).isEqualTo("floor vs onyx");
        assertThat(floorParity.path("minCosine").asDouble()).isGreaterThan(0.99999);
        String markdown = Files.readString(report);
        double onyxRate =
                results.path("throughput").get(0).path("textsPerSecond").asDouble();
        assertThat(markdown)
                .contains("# Onyx benchmarks", "## Summary", "## Throughput", "## Single-text latency")
                .contains("| onyx | %.1f |".formatted(onyxRate))
                .contains("benchmarks/throughput.png", "benchmarks/latency.png");
        Path again = dir.resolve("again/report.md");
        assertThat(run("--render", json.toString(), "--report", again.toString()))
                .isZero();
        assertThat(Files.readString(again)).isEqualTo(markdown);
        for (String chart : new String[] {"throughput.png", "latency.png"}) {
            assertThat(ImageIO.read(
                            dir.resolve("docs/benchmarks").resolve(chart).toFile()))
                    .isNotNull()
                    .satisfies(image -> assertThat(image.getWidth()).isEqualTo(800));
        }
    }
}
