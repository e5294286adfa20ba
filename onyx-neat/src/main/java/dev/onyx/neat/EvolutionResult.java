package dev.onyx.neat;

import dev.onyx.onnx.NeatGenome;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link Neat#run}; an immutable record.
 *
 * @param solved whether some generation reached the fitness threshold
 * @param generations generations evaluated
 * @param bestFitness the fitness of {@code bestGenome}
 * @param history one entry per evaluated generation
 * @param bestGenome the fittest genome seen in any generation (the first of equals)
 */
public record EvolutionResult(
        boolean solved, int generations, double bestFitness, List<GenerationStats> history, NeatGenome bestGenome) {
    public EvolutionResult {
        history = List.copyOf(history);
        Objects.requireNonNull(bestGenome, "bestGenome");
    }
}
