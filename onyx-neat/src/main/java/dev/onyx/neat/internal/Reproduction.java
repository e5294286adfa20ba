package dev.onyx.neat.internal;

import dev.onyx.neat.NeatConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * neat-python's {@code DefaultReproduction}: removes stagnant species, gives each survivor offspring in proportion to
 * its adjusted fitness, keeps each species' elites and breeds the rest from its best fraction; mutable, one thread.
 */
public final class Reproduction {
    private final NeatConfig config;
    private final Genetics genetics;
    private final Stagnation stagnation;
    private final Random random;
    private int nextKey = 1;

    public Reproduction(NeatConfig config, Genetics genetics, Random random) {
        this.config = config;
        this.genetics = genetics;
        this.stagnation = new Stagnation(config.maxStagnation(), config.speciesElitism());
        this.random = random;
    }

    /** A fresh population of {@code config.populationSize()} first-generation genomes, by key. */
    public TreeMap<Integer, Genome> createNew() {
        TreeMap<Integer, Genome> population = new TreeMap<>();
        for (int i = 0; i < config.populationSize(); i++) {
            Genome genome = genetics.create(nextKey++);
            population.put(genome.key, genome);
        }
        return population;
    }

    /**
     * The next generation from the evaluated species; empty (and {@code set} emptied) when every species stagnated.
     */
    public TreeMap<Integer, Genome> reproduce(SpeciesSet set, int generation) {
        List<Species> remaining = new ArrayList<>();
        double minFitness = Double.POSITIVE_INFINITY;
        double maxFitness = Double.NEGATIVE_INFINITY;
        for (Stagnation.Verdict v : stagnation.update(set, generation)) {
            if (!v.stagnant()) {
                remaining.add(v.species());
                for (Genome g : v.species().members.values()) {
                    minFitness = Math.min(minFitness, g.fitness);
                    maxFitness = Math.max(maxFitness, g.fitness);
                }
            }
        }
        set.species.clear();
        TreeMap<Integer, Genome> next = new TreeMap<>();
        if (remaining.isEmpty()) {
            return next;
        }
        double range = Math.max(1.0, maxFitness - minFitness);
        double[] adjusted = new double[remaining.size()];
        int[] previousSizes = new int[remaining.size()];
        for (int i = 0; i < adjusted.length; i++) {
            Species s = remaining.get(i);
            s.adjustedFitness = (s.meanMemberFitness() - minFitness) / range;
            adjusted[i] = s.adjustedFitness;
            previousSizes[i] = s.members.size();
        }
        int minSpeciesSize = Math.max(config.minSpeciesSize(), config.elitism());
        int[] spawn = spawnAmounts(adjusted, previousSizes, config.populationSize(), minSpeciesSize);
        for (int i = 0; i < spawn.length; i++) {
            Species s = remaining.get(i);
            set.species.put(s.key, s);
            breed(s, Math.max(spawn[i], config.elitism()), next);
        }
        return next;
    }

    private void breed(Species s, int spawn, Map<Integer, Genome> next) {
        List<Genome> old = new ArrayList<>(s.members.values());
        s.members = new java.util.LinkedHashMap<>();
        old.sort(Comparator.comparingDouble((Genome g) -> g.fitness).reversed());
        for (int i = 0; i < Math.min(config.elitism(), old.size()); i++) {
            next.put(old.get(i).key, old.get(i));
            spawn--;
        }
        if (spawn <= 0) {
            return;
        }
        int cutoff = Math.max(2, (int) Math.ceil(config.survivalThreshold() * old.size()));
        List<Genome> parents = old.subList(0, Math.min(cutoff, old.size()));
        while (spawn-- > 0) {
            Genome first = parents.get(random.nextInt(parents.size()));
            Genome second = parents.get(random.nextInt(parents.size()));
            Genome child = genetics.crossover(nextKey++, first, second);
            genetics.mutate(child);
            next.put(child.key, child);
        }
    }

    /** neat-python's {@code compute_spawn}; Python's {@code round} is half-to-even, as {@link Math#rint}. */
    static int[] spawnAmounts(double[] adjusted, int[] previousSizes, int populationSize, int minSpeciesSize) {
        double sum = 0.0;
        for (double a : adjusted) {
            sum += a;
        }
        int[] spawn = new int[adjusted.length];
        int total = 0;
        for (int i = 0; i < adjusted.length; i++) {
            double target = sum > 0 ? Math.max(minSpeciesSize, adjusted[i] / sum * populationSize) : minSpeciesSize;
            double d = (target - previousSizes[i]) * 0.5;
            int c = (int) Math.rint(d);
            spawn[i] = previousSizes[i];
            if (Math.abs(c) > 0) {
                spawn[i] += c;
            } else if (d > 0) {
                spawn[i] += 1;
            } else if (d < 0) {
                spawn[i] -= 1;
            }
            total += spawn[i];
        }
        double norm = (double) populationSize / total;
        for (int i = 0; i < spawn.length; i++) {
            spawn[i] = Math.max(minSpeciesSize, (int) Math.rint(spawn[i] * norm));
        }
        return spawn;
    }
}
