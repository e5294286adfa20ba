package dev.onyx.neat;

import dev.onyx.onnx.NeatGenome;
import dev.onyx.runtime.OptimizationLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Per-generation evaluation cost of each evaluator on real populations (seed 1), with ONNX Runtime's export and
 * session share; prints a markdown table. Not a test: timings belong in docs/benchmarks.md, not in assertions.
 *
 * <p>Arguments: {@code [repetitions]} (default 5).
 */
public final class NeatBenchmark {
    private NeatBenchmark() {}

    private record Setup(String name, Supplier<Evaluator> evaluator) {}

    private record Population(String name, Task task, List<NeatGenome> genomes) {}

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Setup> setups = List.of(
                new Setup("native float32", () -> NativeEvaluator.create(NativePrecision.FLOAT32)),
                new Setup("native double", () -> NativeEvaluator.create(NativePrecision.DOUBLE)),
                new Setup("onnx BASIC (default)", OnnxEvaluator::create),
                new Setup("onnx NONE", () -> onnx(OptimizationLevel.NONE)),
                new Setup("onnx ALL", () -> onnx(OptimizationLevel.ALL)));
        List<Population> populations = List.of(
                population("xor gen 0", new XorTask(), 0),
                population("xor gen 15", new XorTask(), 15),
                population("cartpole gen 0", Task.create(TaskKind.CARTPOLE, 1), 0),
                population("cartpole gen 3", Task.create(TaskKind.CARTPOLE, 1), 3));
        System.out.println("| population | evaluator | ms / generation | export ms | session create+close ms |"
                + " run ms | activate calls |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (Population p : populations) {
            for (Setup s : setups) {
                measure(p, s, repetitions);
            }
        }
    }

    private static Evaluator onnx(OptimizationLevel level) {
        return OnnxEvaluator.create(OnnxEvaluator.defaultOptions().withOptimizationLevel(level));
    }

    private static Population population(String name, Task task, int generation) {
        try (Evaluator evaluator = NativeEvaluator.create()) {
            Neat neat = Neat.create(task.defaultConfig(), task, evaluator, 1);
            for (int g = 0; g < generation; g++) {
                neat.step();
            }
            return new Population(name + " (" + neat.population().size() + " genomes)", task, neat.population());
        }
    }

    private static void measure(Population p, Setup s, int repetitions) {
        try (Evaluator evaluator = s.evaluator().get()) {
            evaluate(p, evaluator); // warm-up
            EvaluationCost before = evaluator.cost();
            long start = System.nanoTime();
            for (int r = 0; r < repetitions; r++) {
                evaluate(p, evaluator);
            }
            double wallMs = (System.nanoTime() - start) / 1e6 / repetitions;
            EvaluationCost c = evaluator.cost().minus(before);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.1f | %.1f | %.1f | %.1f | %d |%n",
                    p.name(),
                    s.name(),
                    wallMs,
                    c.exportNanos() / 1e6 / repetitions,
                    c.setupNanos() / 1e6 / repetitions,
                    c.runNanos() / 1e6 / repetitions,
                    c.batches() / repetitions);
        }
    }

    private static List<Double> evaluate(Population p, Evaluator evaluator) {
        List<Double> fitness = new ArrayList<>();
        for (NeatGenome genome : p.genomes()) {
            try (Network network = evaluator.compile(genome)) {
                fitness.add(p.task().fitness(network));
            }
        }
        return fitness;
    }
}
