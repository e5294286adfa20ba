package dev.onyx.neat;

import dev.onyx.neat.internal.Compatibility;
import dev.onyx.neat.internal.Genetics;
import dev.onyx.neat.internal.Genome;
import dev.onyx.neat.internal.InnovationTracker;
import dev.onyx.neat.internal.Reproduction;
import dev.onyx.neat.internal.SpeciesSet;
import dev.onyx.onnx.NeatGenome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A NEAT run in neat-python's manner — speciation, stagnation, elitism, survival threshold, crossover by innovation
 * number — on one task with one evaluator; mutable and not thread-safe (use it from one thread). The evaluator stays
 * owned by the caller.
 *
 * <p>Deterministic: one {@link Random} seeded from {@code seed} drives every draw, and genomes, genes and species are
 * always visited in key order, so a seed fixes the run up to the fitness values the evaluator returns.
 */
public final class Neat {
    private final NeatConfig config;
    private final Task task;
    private final Evaluator evaluator;
    private final InnovationTracker tracker;
    private final Reproduction reproduction;
    private final SpeciesSet species;
    private TreeMap<Integer, Genome> population;
    private int generation;
    private Genome best;
    private double bestFitness = Double.NEGATIVE_INFINITY;
    private final List<GenerationStats> history = new ArrayList<>();
    private boolean solved;

    private Neat(NeatConfig config, Task task, Evaluator evaluator, long seed) {
        this.config = config;
        this.task = task;
        this.evaluator = evaluator;
        Random random = new Random(seed);
        this.tracker = new InnovationTracker(config.outputs());
        this.reproduction = new Reproduction(config, new Genetics(config, tracker, random), random);
        this.species = new SpeciesSet(new Compatibility(config), config.compatibilityThreshold());
        this.population = reproduction.createNew();
        species.speciate(population, 0);
    }

    /**
     * Starts a run: the first generation is created and speciated.
     *
     * @throws NeatException if the config's inputs or outputs differ from the task's
     */
    public static Neat create(NeatConfig config, Task task, Evaluator evaluator, long seed) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(evaluator, "evaluator");
        if (config.inputs() != task.inputs() || config.outputs() != task.outputs()) {
            throw new NeatException("config has " + config.inputs() + " inputs and " + config.outputs()
                    + " outputs, but task " + task.kind().label() + " needs " + task.inputs() + " and "
                    + task.outputs());
        }
        return new Neat(config, task, evaluator, seed);
    }

    /** The generation that {@link #step()} evaluates next (0 at the start). */
    public int generation() {
        return generation;
    }

    /** The genomes of the current generation, by genome key. */
    public List<NeatGenome> population() {
        return population.values().stream()
                .map(g -> g.toValue(config.inputs(), config.outputs()))
                .toList();
    }

    /**
     * Evaluates the current generation and, unless it reached the threshold, breeds and speciates the next.
     *
     * @throws NeatException if the run is already solved
     */
    public GenerationStats step() {
        if (solved) {
            throw new NeatException("the run was solved in generation " + (generation) + "; nothing left to evolve");
        }
        Genome generationBest = evaluate();
        double sum = 0.0;
        for (Genome g : population.values()) {
            sum += g.fitness;
        }
        solved = generationBest.fitness >= config.fitnessThreshold();
        GenerationStats stats = new GenerationStats(
                generation,
                generationBest.fitness,
                sum / population.size(),
                species.species.size(),
                generationBest.nodes.size(),
                generationBest.enabledConnections(),
                solved);
        history.add(stats);
        if (!solved) {
            breed();
        }
        return stats;
    }

    private Genome evaluate() {
        Genome generationBest = null;
        for (Genome g : population.values()) {
            try (Network network = evaluator.compile(g.toValue(config.inputs(), config.outputs()))) {
                g.fitness = task.fitness(network);
            }
            if (Double.isNaN(g.fitness)) {
                throw new NeatException("task " + task.kind().label() + " gave genome " + g.key + " fitness NaN");
            }
            if (generationBest == null || g.fitness > generationBest.fitness) {
                generationBest = g;
            }
        }
        if (generationBest.fitness > bestFitness) {
            best = generationBest;
            bestFitness = generationBest.fitness;
        }
        return generationBest;
    }

    private void breed() {
        tracker.newGeneration();
        population = reproduction.reproduce(species, generation);
        if (species.species.isEmpty()) {
            // Every species stagnated: start over with a fresh population (neat-python's reset_on_extinction).
            population = reproduction.createNew();
        }
        generation++;
        species.speciate(population, generation);
    }

    /**
     * Steps until a generation reaches the threshold or {@code maxGenerations} generations have been evaluated,
     * telling {@code listener} about each.
     */
    public EvolutionResult run(int maxGenerations, Consumer<GenerationStats> listener) {
        Objects.requireNonNull(listener, "listener");
        if (maxGenerations < 1) {
            throw new NeatException("maxGenerations must be at least 1, got " + maxGenerations);
        }
        while (!solved && history.size() < maxGenerations) {
            listener.accept(step());
        }
        return result();
    }

    /** The run so far. */
    public EvolutionResult result() {
        if (best == null) {
            throw new NeatException("no generation has been evaluated yet");
        }
        return new EvolutionResult(
                solved, history.size(), bestFitness, history, best.toValue(config.inputs(), config.outputs()));
    }
}
