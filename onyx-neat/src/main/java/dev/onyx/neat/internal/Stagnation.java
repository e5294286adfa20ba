package dev.onyx.neat.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** neat-python's {@code DefaultStagnation} with {@code species_fitness_func = max}; stateless and thread-safe. */
final class Stagnation {
    record Verdict(Species species, boolean stagnant) {}

    private final int maxStagnation;
    private final int speciesElitism;

    Stagnation(int maxStagnation, int speciesElitism) {
        this.maxStagnation = maxStagnation;
        this.speciesElitism = speciesElitism;
    }

    /**
     * Records each species' fitness and decides which are stagnant: not improved for {@code maxStagnation}
     * generations, unless it is among the {@code speciesElitism} best or removing it would leave fewer than that.
     * Returns the species from worst to best.
     */
    List<Verdict> update(SpeciesSet set, int generation) {
        List<Species> ranked = new ArrayList<>();
        for (Species s : set.species.values()) {
            double previous = s.fitnessHistory.stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(-Double.MAX_VALUE);
            s.fitness = s.bestMemberFitness();
            s.fitnessHistory.add(s.fitness);
            s.adjustedFitness = Double.NaN;
            if (s.fitness > previous) {
                s.lastImproved = generation;
            }
            ranked.add(s);
        }
        ranked.sort(Comparator.comparingDouble(s -> s.fitness));
        List<Verdict> verdicts = new ArrayList<>();
        int nonStagnant = ranked.size();
        for (int i = 0; i < ranked.size(); i++) {
            Species s = ranked.get(i);
            boolean stagnant = nonStagnant > speciesElitism && generation - s.lastImproved >= maxStagnation;
            if (ranked.size() - i <= speciesElitism) {
                stagnant = false;
            }
            if (stagnant) {
                nonStagnant--;
            }
            verdicts.add(new Verdict(s, stagnant));
        }
        return verdicts;
    }
}
