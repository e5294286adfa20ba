package dev.onyx.neat.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One species: a representative, its members in joining order, and its fitness history; mutable, one thread. */
public final class Species {
    public final int key;
    public final int created;
    public int lastImproved;
    public Genome representative;
    public Map<Integer, Genome> members = new LinkedHashMap<>();
    /** The best member fitness of the last evaluated generation; NaN before. */
    public double fitness = Double.NaN;

    public double adjustedFitness = Double.NaN;
    public final List<Double> fitnessHistory = new ArrayList<>();

    public Species(int key, int generation) {
        this.key = key;
        this.created = generation;
        this.lastImproved = generation;
    }

    void update(Genome representative, Map<Integer, Genome> members) {
        this.representative = representative;
        this.members = members;
    }

    /** The best member fitness (neat-python's {@code species_fitness_func = max}). */
    double bestMemberFitness() {
        double best = Double.NEGATIVE_INFINITY;
        for (Genome g : members.values()) {
            best = Math.max(best, g.fitness);
        }
        return best;
    }

    double meanMemberFitness() {
        double sum = 0.0;
        for (Genome g : members.values()) {
            sum += g.fitness;
        }
        return sum / members.size();
    }
}
