package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.NeatCost;
import dev.onyx.neat.EvaluationCost;
import dev.onyx.neat.Evaluator;
import dev.onyx.neat.NativeEvaluator;
import dev.onyx.neat.NativePrecision;
import dev.onyx.neat.Neat;
import dev.onyx.neat.Network;
import dev.onyx.neat.OnnxEvaluator;
import dev.onyx.neat.Task;
import dev.onyx.neat.TaskKind;
import dev.onyx.onnx.NeatGenome;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Per-generation evaluation cost of NEAT's evaluators (native float32 and double, ONNX Runtime with its defaults) on
 * real XOR and cart-pole populations (seed 1), with ONNX's export and session share. Not thread-safe; one run each.
 */
public final class NeatBenchmark {
    /** The evaluators compared, as named in the report. */
    public static final String NATIVE_FLOAT = "native float32 (default)";

    public static final String NATIVE_DOUBLE = "native double";
    public static final String ONNX = "onnx (default options)";

    private record Setup(String name, Supplier<Evaluator> evaluator) {}

    private record Population(String name, Task task, List<NeatGenome> genomes) {}

    private final int repetitions;
    private final PrintStream log;

    public NeatBenchmark(int repetitions, PrintStream log) {
        this.repetitions = repetitions;
        this.log = log;
    }

    /** Evaluates XOR generations 0 and 15 and cart-pole generations 0 and 3 with each evaluator. */
    public List<NeatCost> run() {
        List<Setup> setups = List.of(
                new Setup(NATIVE_FLOAT, () -> NativeEvaluator.create(NativePrecision.FLOAT32)),
                new Setup(NATIVE_DOUBLE, () -> NativeEvaluator.create(NativePrecision.DOUBLE)),
                new Setup(ONNX, OnnxEvaluator::create));
        List<Population> populations = List.of(
                population("xor gen 0", Task.create(TaskKind.XOR, 1), 0),
                population("xor gen 15", Task.create(TaskKind.XOR, 1), 15),
                population("cart-pole gen 0", Task.create(TaskKind.CARTPOLE, 1), 0),
                population("cart-pole gen 3", Task.create(TaskKind.CARTPOLE, 1), 3));
        List<NeatCost> costs = new ArrayList<>();
        for (Population p : populations) {
            for (Setup s : setups) {
                costs.add(measure(p, s));
            }
        }
        return List.copyOf(costs);
    }

    private static Population population(String name, Task task, int generation) {
        try (Evaluator evaluator = NativeEvaluator.create()) {
            Neat neat = Neat.create(task.defaultConfig(), task, evaluator, 1);
            for (int g = 0; g < generation; g++) {
                neat.step();
            }
            return new Population(name, task, neat.population());
        }
    }

    private NeatCost measure(Population p, Setup s) {
        try (Evaluator evaluator = s.evaluator().get()) {
            evaluate(p, evaluator); // warm-up
            EvaluationCost before = evaluator.cost();
            long start = System.nanoTime();
            for (int r = 0; r < repetitions; r++) {
                evaluate(p, evaluator);
            }
            double wallMillis = (System.nanoTime() - start) / 1e6 / repetitions;
            EvaluationCost c = evaluator.cost().minus(before);
            NeatCost cost = new NeatCost(
                    p.name(),
                    p.genomes().size(),
                    repetitions,
                    s.name(),
                    round(wallMillis),
                    round(c.exportNanos() / 1e6 / repetitions),
                    round(c.setupNanos() / 1e6 / repetitions),
                    round(c.runNanos() / 1e6 / repetitions),
                    c.batches() / repetitions);
            log.printf("%-16s %-26s %10.2f ms/generation%n", p.name(), s.name(), cost.millisPerGeneration());
            return cost;
        }
    }

    private static void evaluate(Population p, Evaluator evaluator) {
        for (NeatGenome genome : p.genomes()) {
            try (Network network = evaluator.compile(genome)) {
                p.task().fitness(network);
            }
        }
    }

    /** Two decimals: what the report shows. */
    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
