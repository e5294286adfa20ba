package dev.onyx.neat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a task for a range of seeds with the native evaluator and, with {@code both}, again with ONNX Runtime,
 * printing a markdown row per seed (solved, generations, and whether the two histories are identical); not a test.
 *
 * <p>Arguments: {@code xor|cartpole [native|both] [maxGenerations] [firstSeed] [lastSeed]} (seeds 1..10 by default).
 */
public final class SeedSurvey {
    private SeedSurvey() {}

    public static void main(String[] args) {
        TaskKind kind = TaskKind.parse(args.length > 0 ? args[0] : "xor");
        boolean both = args.length > 1 && args[1].equals("both");
        int maxGenerations = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        long first = args.length > 3 ? Long.parseLong(args[3]) : 1;
        long last = args.length > 4 ? Long.parseLong(args[4]) : 10;
        int solved = 0;
        System.out.println("| seed | solved | generations | best fitness | native s | onnx s | same history |");
        System.out.println("|---:|:---:|---:|---:|---:|---:|:---:|");
        for (long seed = first; seed <= last; seed++) {
            Task task = Task.create(kind, seed);
            List<GenerationStats> nativeHistory = new ArrayList<>();
            long start = System.nanoTime();
            EvolutionResult r = run(task, EvaluatorKind.NATIVE, seed, maxGenerations, nativeHistory);
            double nativeSeconds = (System.nanoTime() - start) / 1e9;
            String onnxSeconds = "-";
            String same = "-";
            if (both) {
                List<GenerationStats> onnxHistory = new ArrayList<>();
                start = System.nanoTime();
                run(task, EvaluatorKind.ONNX, seed, maxGenerations, onnxHistory);
                onnxSeconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
                same = onnxHistory.equals(nativeHistory) ? "yes" : "NO";
            }
            solved += r.solved() ? 1 : 0;
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %s | %d | %.6f | %.1f | %s | %s |%n",
                    seed,
                    r.solved() ? "yes" : "no",
                    r.generations(),
                    r.bestFitness(),
                    nativeSeconds,
                    onnxSeconds,
                    same);
        }
        System.out.println("solved " + solved + "/" + (last - first + 1) + " (" + kind.label() + ")");
    }

    private static EvolutionResult run(
            Task task, EvaluatorKind kind, long seed, int maxGenerations, List<GenerationStats> history) {
        try (Evaluator evaluator = Evaluator.create(kind)) {
            return Neat.create(task.defaultConfig(), task, evaluator, seed).run(maxGenerations, history::add);
        }
    }
}
