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
                "--sections",
                "embed",
                "--model",
                "gpt-9",
                "--no-cli",
                "--quiet-wait",
                "0",
                "--report",
                dir.resolve("r.md").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("model 'gpt-9'")
                .contains("all-minilm-l6-v2");
    }

    @Test
    void aSmallRunWritesJsonReportAndChartsThatAgree(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("docs/benchmarks.md");
        Path json = dir.resolve("docs/benchmarks.json");

        int code = run(
                "--sections",
                "embed,latency",
                "--n",
                "24",
                "--rounds",
                "1",
                "--latency-calls",
                "10",
                "--batch-latency-calls",
                "10",
                "--latency-batch",
                "3",
                "--latency-warmup",
                "1",
                "--solo-processes",
                "2",
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
                .containsExactly(
                        "onyx",
                        "floor",
                        "floor-fused",
                        "langchain4j",
                        "onyx-int8",
                        "onyx-int8-own",
                        "onyx-langchain4j");
        // 4 contenders × {1, 3} texts per call × {rotated, solo}: the solo ones ran in child JVMs
        assertThat(results.path("latency")).hasSize(16);
        assertThat(results.path("latency").findValuesAsText("mode")).containsOnly("rotated", "solo");
        for (JsonNode l : results.path("latency")) {
            assertThat(l.path("calls").asInt()).isEqualTo(10);
            assertThat(l.path("p50Millis").asDouble()).isPositive();
            if (l.path("mode").asText().equals("solo")) {
                // two child JVMs per contender; the row holds the median (here the mean) of their own percentiles
                JsonNode processes = l.path("processes");
                assertThat(processes).hasSize(2);
                assertThat(l.path("p95Millis").asDouble())
                        .isCloseTo(
                                (processes.get(0).path("p95Millis").asDouble()
                                                + processes
                                                        .get(1)
                                                        .path("p95Millis")
                                                        .asDouble())
                                        / 2,
                                org.assertj.core.data.Offset.offset(0.0011));
            } else {
                assertThat(l.path("processes")).isEmpty();
            }
        }
        // the floor is an independent program (its own tokenizer, batches, pooling): on the same graph or the file as
        // exported its vectors are still Onyx's up to float rounding
        JsonNode floorParity = results.path("parity").get(0);
        assertThat(floorParity.path("name").asText()).isEqualTo("floor vs onyx");
        assertThat(floorParity.path("minCosine").asDouble()).isGreaterThan(0.99999);
        JsonNode fusedParity = results.path("parity").get(1);
        assertThat(fusedParity.path("name").asText()).isEqualTo("floor-fused vs onyx");
        assertThat(fusedParity.path("minCosine").asDouble()).isGreaterThan(0.99999);
        assertThat(results.path("ratios").path("floor-fused / floor throughput").isNumber())
                .isTrue();
        // Onyx's own int8 copy ran (quantized through the cache before timing) and is compared with both fp32 and
        // the shipped int8 model; its vectors stay within the quality gate's cosine of fp32
        assertThat(results.path("ratios")
                        .path("onyx-int8-own / onyx throughput")
                        .isNumber())
                .isTrue();
        assertThat(results.path("ratios")
                        .path("onyx-int8-own / onyx-int8 throughput")
                        .isNumber())
                .isTrue();
        JsonNode ownParity = null;
        for (JsonNode p : results.path("parity")) {
            if (p.path("name").asText().equals("onyx-int8-own vs onyx fp32")) ownParity = p;
        }
        assertThat(ownParity).as("parity of the own int8 copy").isNotNull();
        assertThat(ownParity.path("minCosine").asDouble()).isGreaterThanOrEqualTo(0.99);
        assertThat(results.path("ratios")
                        .path("onyx / floor p95 latency, 3 texts, solo")
                        .isNumber())
                .isTrue();
        assertThat(results.path("startup").path("firstOpenMillis").asDouble()).isPositive();
        String markdown = Files.readString(report);
        double onyxRate =
                results.path("throughput").get(0).path("textsPerSecond").asDouble();
        assertThat(markdown)
                .contains("# Onyx benchmarks", "## Summary", "## Throughput", "## Call latency")
                .contains("| onyx | %.1f |".formatted(onyxRate))
                .contains("`onyx-int8-own` is Onyx on its own static int8 copy")
                .contains("./onyx bench --sections embed --floor-batch 32 --n 24 --rounds 1 --no-cli")
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

    @Test
    void theEmbeddingSectionsSayOnlyWhatTheRunMeasuredAndNameTheirCommands(@TempDir Path dir) throws Exception {
        Path json = fixture("embed-latency-results.json", dir);
        Path report = dir.resolve("out/benchmarks.md");

        render(json, report);

        String markdown = Files.readString(report);
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        JsonNode settings = results.path("settings");
        assertThat(markdown)
                .contains("```\n" + settings.path("commands").path("embed").asText() + "\n```")
                .contains("```\n" + settings.path("commands").path("latency").asText() + "\n```")
                .contains("batches of %d, one"
                        .formatted(settings.path("floorBatch").asInt()))
                .contains("batches of at most %d texts and %d tokens"
                        .formatted(
                                settings.path("maxBatchSize").asInt(),
                                settings.path("maxBatchTokens").asInt()))
                .contains(settings.path("onyxGraph").asText())
                // fixed sentences that went stale in earlier reports
                .doesNotContain("batches of 64", "native library", "up to three", "1.5 ms", "20 ms of model CPU")
                .doesNotContain("## Embedding server", "## ONNX export");
        for (JsonNode l : results.path("latency")) {
            assertThat(markdown)
                    .contains("| %s | %d | %s | %.3f | %.3f | %.3f |"
                            .formatted(
                                    l.path("name").asText(),
                                    l.path("textsPerCall").asInt(),
                                    l.path("mode").asText(),
                                    l.path("p50Millis").asDouble(),
                                    l.path("p95Millis").asDouble(),
                                    l.path("p99Millis").asDouble()));
        }
        double ratio = results.path("ratios")
                .path("onyx / floor p95 latency, 1 text, solo")
                .asDouble();
        assertThat(markdown)
                .contains("| Onyx / floor p95, 1 text per call, solo | %.3f | ≤ 1.1 | %s |"
                        .formatted(ratio, ratio <= 1.1 ? "yes" : "**no**"));
    }

    @Test
    void everySectionRendersFromResultsWithTheNumbersOfTheJson(@TempDir Path dir) throws Exception {
        Path json = fixture("sections-results.json", dir);
        Path report = dir.resolve("out/benchmarks.md");

        render(json, report);

        String markdown = Files.readString(report);
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(markdown)
                .contains("## ONNX export and exported models", "## NEAT evaluator cost", "Where each wins:")
                .contains("## Embedding server vs library", "Goals (issue 15):", "## Spark")
                .contains("--json docs/benchmarks-spark.json", "Not measured for this report")
                .doesNotContain("## Summary", "## Throughput", "## Call latency");
        for (JsonNode t : results.path("export")) {
            assertThat(markdown)
                    .contains("| %s | %s | %d | %.4f | %.4f | %.4f | %d |"
                            .formatted(
                                    t.path("model").asText(),
                                    t.path("step").asText(),
                                    t.path("calls").asInt(),
                                    t.path("meanMillis").asDouble(),
                                    t.path("p95Millis").asDouble(),
                                    t.path("p99Millis").asDouble(),
                                    t.path("modelBytes").asLong()));
        }
        assertThat(results.path("neat")).hasSize(12);
        for (JsonNode c : results.path("neat")) {
            assertThat(markdown)
                    .contains("| %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %d |"
                            .formatted(
                                    c.path("population").asText(),
                                    c.path("genomes").asInt(),
                                    c.path("evaluator").asText(),
                                    c.path("millisPerGeneration").asDouble(),
                                    c.path("exportMillis").asDouble(),
                                    c.path("setupMillis").asDouble(),
                                    c.path("runMillis").asDouble(),
                                    c.path("activateCalls").asLong()));
        }
        JsonNode round = results.path("server").get(0);
        for (JsonNode load : round.path("loads")) {
            assertThat(markdown)
                    .contains("| 1 | %d | %d | %.1f | %.1f | %.3f |"
                            .formatted(
                                    load.path("clients").asInt(),
                                    load.path("textsPerRequest").asInt(),
                                    round.path("libraryTextsPerSecond").asDouble(),
                                    load.path("textsPerSecond").asDouble(),
                                    load.path("ratio").asDouble()));
        }
        assertThat(markdown)
                .contains("```\n"
                        + results.path("settings")
                                .path("commands")
                                .path("server")
                                .asText() + "\n```")
                .contains(results.path("settings").path("serverConfig").asText())
                .contains(results.path("settings").path("serverClient").asText())
                .doesNotContain("java.net.http")
                .doesNotContain("batches of 64", "1.5 ms", "20 ms of model CPU");
        assertThat(Files.exists(dir.resolve("out/benchmarks/throughput.png")))
                .as("no embedding run, no embedding charts")
                .isFalse();
    }

    @Test
    void sparkResultsNextToTheReportAreFoldedIn(@TempDir Path dir) throws Exception {
        Path json = fixture("sections-results.json", dir);
        Path report = dir.resolve("out/benchmarks.md");
        Files.createDirectories(report.getParent());
        fixture("benchmarks-spark.json", report.getParent());

        render(json, report);

        assertThat(Files.readString(report))
                .contains("Run `onyx-spark/bench 200 1 --json docs/benchmarks-spark.json` at 2026-11-23T20:30:00Z")
                .contains("| single process, one call | 200 | 1.52 | 131.6 |")
                .contains("Per-executor model load, first in its JVM: 1.23 s; again in a warm JVM")
                .contains("Fastest of the other setups:")
                .doesNotContain("Not measured for this report");
    }

    @Test
    void theExportSectionRunsAloneAndWritesWhatItMeasured(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.md");
        Path json = dir.resolve("r.json");

        int code = run(
                "--sections",
                "export",
                "--export-calls",
                "10",
                "--quiet-wait",
                "0",
                "--no-cli",
                "--report",
                report.toString(),
                "--json",
                json.toString());

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results.path("sections").toString()).isEqualTo("[\"EXPORT\"]");
        assertThat(results.path("export").findValuesAsText("step"))
                .containsExactly(
                        "export",
                        "load",
                        "onnx single",
                        "onnx batch 64",
                        "java single",
                        "java batch 64",
                        "export",
                        "load",
                        "onnx single",
                        "onnx batch 64",
                        "java single",
                        "java batch 64");
        assertThat(results.path("neat")).isEmpty();
        assertThat(results.path("throughput")).isEmpty();
        JsonNode first = results.path("export").get(0);
        assertThat(Files.readString(report))
                .contains("| neat-100 | export | 10 | %.4f |"
                        .formatted(first.path("meanMillis").asDouble()));
    }

    private void render(Path json, Path report) {
        assertThat(run("--render", json.toString(), "--report", report.toString()))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
    }

    private static Path fixture(String name, Path dir) throws Exception {
        Path file = dir.resolve(name);
        try (var in = BenchMainTest.class.getResourceAsStream(name)) {
            Files.copy(in, file);
        }
        return file;
    }
}
