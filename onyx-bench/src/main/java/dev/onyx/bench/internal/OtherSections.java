package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;
import dev.onyx.bench.BenchReport.ExportTiming;
import dev.onyx.bench.BenchReport.NeatCost;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The report sections for the rest of Onyx: ONNX export, NEAT evaluators, the embedding server and Spark; stateless.
 * Each renders empty when its part did not run (Spark: a line saying how to produce it).
 */
final class OtherSections {
    private OtherSections() {}

    static String export(BenchReport r) {
        if (r.export().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("""
                ## ONNX export and exported models (`onyx-onnx`, `onyx-runtime`)

                What it measures, for a 100-node NEAT genome (5 inputs, 5 outputs, 95 hidden nodes with up to 6 inputs
                each, seed 100) and the example text classifier (40 int64 tokens → embedding 1000×32 → dense 64 relu →
                average pooling → dense 4 softmax, seeded weights): one export to ONNX bytes (`NeatExporter.export`,
                `LayerStackExporter.export`); loading those bytes into ONNX Runtime (`OnnxModel.load` + `close`, default
                `RuntimeOptions`); inference on the loaded model (`OnnxModel.run`, `onnx`) for one row and a batch of
                %d rows, next to the plain Java evaluators on the same rows (`NeatEvaluator`, `LayerStackEvaluator`,
                `java`). Each step first runs a fifth of its calls untimed, then times each call alone; milliseconds
                per call.

                ```
                ./onyx bench --sections export --export-calls %d
                ```

                | Model | Step | calls | mean ms | p95 ms | p99 ms | model bytes |
                |---|---|---:|---:|---:|---:|---:|
                """.formatted(ExportBenchmark.BATCH, callsOf(r.export())));
        for (ExportTiming t : r.export()) {
            b.append("| %s | %s | %d | %.4f | %.4f | %.4f | %d |\n"
                    .formatted(
                            t.model(),
                            t.step(),
                            t.calls(),
                            t.meanMillis(),
                            t.p95Millis(),
                            t.p99Millis(),
                            t.modelBytes()));
        }
        b.append('\n');
        for (String model :
                r.export().stream().map(ExportTiming::model).distinct().toList()) {
            for (String rows : List.of("single", "batch " + ExportBenchmark.BATCH)) {
                Optional<ExportTiming> onnx = step(r.export(), model, "onnx " + rows);
                Optional<ExportTiming> java = step(r.export(), model, "java " + rows);
                if (onnx.isPresent() && java.isPresent()) {
                    b.append("- %s, %s: ONNX Runtime %.4f ms vs Java %.4f ms per call — %s.\n"
                            .formatted(
                                    model,
                                    rows,
                                    onnx.get().meanMillis(),
                                    java.get().meanMillis(),
                                    faster(onnx.get().meanMillis(), java.get().meanMillis())));
                }
            }
        }
        return b.toString();
    }

    private static int callsOf(List<ExportTiming> timings) {
        return timings.stream()
                .filter(t -> t.step().equals("export"))
                .mapToInt(ExportTiming::calls)
                .max()
                .orElse(0);
    }

    private static Optional<ExportTiming> step(List<ExportTiming> timings, String model, String step) {
        return timings.stream()
                .filter(t -> t.model().equals(model) && t.step().equals(step))
                .findFirst();
    }

    private static String faster(double onnxMillis, double javaMillis) {
        return onnxMillis < javaMillis
                ? "ONNX Runtime is %.1f× faster".formatted(javaMillis / onnxMillis)
                : "Java is %.1f× faster".formatted(onnxMillis / javaMillis);
    }

    static String neat(BenchReport r) {
        if (r.neat().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("""
                ## NEAT evaluator cost (`onyx-neat`)

                What it measures: what one generation spends on fitness — every genome of a population compiled by the
                `Evaluator`, run on its task and closed — for `NativeEvaluator` in float32 and in double, and
                `OnnxEvaluator.create()` (each genome exported with `NeatExporter` and opened in its own ONNX Runtime
                session). Populations (seed 1, evolved with the native evaluator): %s. One untimed evaluation, then
                %d timed; the mean per generation is shown. `export`, `setup` (ONNX: session create + close; native:
                compiling the genome) and `run` (inside `Network.activate`) are the evaluator's own accounting
                (`Evaluator.cost()`), per generation.

                ```
                ./onyx bench --sections neat --neat-reps %d
                ```

                | Population | genomes | Evaluator | ms / generation | export ms | setup ms | run ms | activate calls |
                |---|---:|---|---:|---:|---:|---:|---:|
                """.formatted(
                        r.neat().stream().map(NeatCost::population).distinct().collect(Collectors.joining(", ")),
                        reps(r.neat()),
                        reps(r.neat())));
        for (NeatCost c : r.neat()) {
            b.append("| %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %d |\n"
                    .formatted(
                            c.population(),
                            c.genomes(),
                            c.evaluator(),
                            c.millisPerGeneration(),
                            c.exportMillis(),
                            c.setupMillis(),
                            c.runMillis(),
                            c.activateCalls()));
        }
        b.append("\nWhere each wins:\n\n");
        Map<String, List<NeatCost>> byPopulation = r.neat().stream()
                .collect(Collectors.groupingBy(NeatCost::population, LinkedHashMap::new, Collectors.toList()));
        byPopulation.forEach((population, costs) -> b.append(wins(population, costs)));
        return b.toString();
    }

    private static int reps(List<NeatCost> costs) {
        return costs.get(0).repetitions();
    }

    private static String wins(String population, List<NeatCost> costs) {
        NeatCost best = costs.stream()
                .min(Comparator.comparingDouble(NeatCost::millisPerGeneration))
                .orElseThrow();
        String others = costs.stream()
                .filter(c -> c != best)
                .map(c -> "%s %.1f×".formatted(c.evaluator(), c.millisPerGeneration() / best.millisPerGeneration()))
                .collect(Collectors.joining(", "));
        double onnxSetup = costs.stream()
                .filter(c -> c.evaluator().equals(NeatBenchmark.ONNX) && c.millisPerGeneration() > 0)
                .mapToDouble(c -> (c.exportMillis() + c.setupMillis()) / c.millisPerGeneration())
                .findFirst()
                .orElse(Double.NaN);
        return "- %s: **%s** wins (%.2f ms); the others take %s as long. Export + session are %.0f%% of ONNX's time.\n"
                .formatted(population, best.evaluator(), best.millisPerGeneration(), others, 100 * onnxSetup);
    }

    static String server(BenchReport r) {
        return ServerSection.render(r);
    }

    static String spark(BenchReport r) {
        return SparkSection.render(r.spark());
    }
}
