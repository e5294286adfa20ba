package dev.onyx.neat;

/**
 * What one evaluated generation looked like; an immutable record.
 *
 * @param generation 0 for the first generation
 * @param bestFitness the best fitness in this generation
 * @param meanFitness the mean fitness of this generation
 * @param species species in this generation
 * @param bestNodes node genes of this generation's best genome (inputs not counted)
 * @param bestConnections enabled connections of this generation's best genome
 * @param solved whether {@code bestFitness} reached the config's threshold
 */
public record GenerationStats(
        int generation,
        double bestFitness,
        double meanFitness,
        int species,
        int bestNodes,
        int bestConnections,
        boolean solved) {

    /** One line for a log: generation, best and mean fitness, species count, best genome size. */
    public String line() {
        return String.format(
                java.util.Locale.ROOT,
                "gen %4d  best %10.6f  mean %10.6f  species %3d  size (%d, %d)%s",
                generation,
                bestFitness,
                meanFitness,
                species,
                bestNodes,
                bestConnections,
                solved ? "  solved" : "");
    }
}
