package dev.onyx.neat;

import java.util.Locale;

/**
 * Runs a task for seeds 1..10 and prints the generation each was solved in; not a test (see the module README).
 *
 * <p>Arguments: {@code xor|cartpole [native|onnx] [maxGenerations] [firstSeed] [lastSeed]} (seeds 1..10 by default).
 */
public final class SeedSurvey {
    private SeedSurvey() {}

    public static void main(String[] args) {
        TaskKind kind = TaskKind.parse(args.length > 0 ? args[0] : "xor");
        EvaluatorKind evaluatorKind = EvaluatorKind.parse(args.length > 1 ? args[1] : "native");
        int maxGenerations = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        long first = args.length > 3 ? Long.parseLong(args[3]) : 1;
        long last = args.length > 4 ? Long.parseLong(args[4]) : 10;
        int solved = 0;
        System.out.println("| seed | solved | generations | best fitness | best size | seconds |");
        System.out.println("|---:|:---:|---:|---:|---:|---:|");
        for (long seed = first; seed <= last; seed++) {
            long start = System.nanoTime();
            Task task = Task.create(kind, seed);
            try (Evaluator evaluator = Evaluator.create(evaluatorKind)) {
                EvolutionResult r =
                        Neat.create(task.defaultConfig(), task, evaluator, seed).run(maxGenerations, stats -> {});
                solved += r.solved() ? 1 : 0;
                GenerationStats end = r.history().get(r.history().size() - 1);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %s | %d | %.6f | (%d, %d) | %.1f |%n",
                        seed,
                        r.solved() ? "yes" : "no",
                        r.generations(),
                        r.bestFitness(),
                        end.bestNodes(),
                        end.bestConnections(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.println("solved " + solved + "/" + (last - first + 1) + " (" + kind.label() + ", "
                + evaluatorKind.label() + ")");
    }
}
