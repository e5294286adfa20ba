package dev.onyx.neat.internal;

import dev.onyx.neat.NeatConfig;
import dev.onyx.neat.NeatConfig.FloatAttribute;
import dev.onyx.neat.internal.Genome.Connection;
import dev.onyx.neat.internal.Genome.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Creates, crosses and mutates genomes as neat-python's {@code DefaultGenome} does (feed-forward only); mutable through
 * its random source and tracker, one thread.
 */
public final class Genetics {
    private final NeatConfig config;
    private final InnovationTracker tracker;
    private final Random random;

    public Genetics(NeatConfig config, InnovationTracker tracker, Random random) {
        this.config = config;
        this.tracker = tracker;
        this.random = random;
    }

    /** A first-generation genome: output nodes and the configured initial connections. */
    public Genome create(int key) {
        Genome genome = new Genome(key);
        for (int output = 0; output < config.outputs(); output++) {
            genome.add(newNode(output));
        }
        switch (config.initialConnection()) {
            case FULL_DIRECT -> {
                for (int input = -1; input >= -config.inputs(); input--) {
                    for (int output = 0; output < config.outputs(); output++) {
                        genome.add(newConnection(input, output));
                    }
                }
            }
            case FS_NEAT -> {
                int input = -1 - random.nextInt(config.inputs());
                for (int output = 0; output < config.outputs(); output++) {
                    genome.add(newConnection(input, output));
                }
            }
            case UNCONNECTED -> {
                // no connections
            }
        }
        return genome;
    }

    /**
     * A child of two parents: genes are matched by node id and innovation number; matching genes take each attribute
     * from either parent at random, the others come from the fitter parent (the second on a tie). A gene disabled in
     * either parent stays disabled with chance 0.75.
     */
    public Genome crossover(int key, Genome first, Genome second) {
        Genome fitter = first.fitness > second.fitness ? first : second;
        Genome other = fitter == first ? second : first;
        Genome child = new Genome(key);
        for (Connection c1 : fitter.connections.values()) {
            Connection c2 = other.connections.get(c1.innovation);
            Connection c = c1.copy();
            if (c2 != null) {
                c.weight = pick(c1.weight, c2.weight);
                c.enabled = c1.enabled && c2.enabled || random.nextDouble() >= 0.75;
            }
            child.add(c);
        }
        for (Node n1 : fitter.nodes.values()) {
            Node n2 = other.nodes.get(n1.id);
            Node n = n1.copy();
            if (n2 != null) {
                n.bias = pick(n1.bias, n2.bias);
                n.response = pick(n1.response, n2.response);
                n.activation = random.nextDouble() > 0.5 ? n1.activation : n2.activation;
            }
            child.add(n);
        }
        return child;
    }

    private double pick(double a, double b) {
        return random.nextDouble() > 0.5 ? a : b;
    }

    /** Structural mutations (each with its own probability), then attribute mutations of every gene. */
    public void mutate(Genome genome) {
        if (random.nextDouble() < config.nodeAddProbability()) {
            addNode(genome);
        }
        if (random.nextDouble() < config.nodeDeleteProbability()) {
            deleteNode(genome);
        }
        if (random.nextDouble() < config.connectionAddProbability()) {
            addConnection(genome);
        }
        if (random.nextDouble() < config.connectionDeleteProbability()) {
            deleteConnection(genome);
        }
        for (Connection c : genome.connections.values()) {
            c.weight = mutate(c.weight, config.weight());
            if (config.enabledMutateRate() > 0 && random.nextDouble() < config.enabledMutateRate()) {
                c.enabled = random.nextDouble() < 0.5;
            }
        }
        for (Node n : genome.nodes.values()) {
            n.bias = mutate(n.bias, config.bias());
            n.response = mutate(n.response, config.response());
            if (config.activationMutateRate() > 0 && random.nextDouble() < config.activationMutateRate()) {
                n.activation = choice(config.activationOptions());
            }
        }
    }

    /** Splits a random connection: it is disabled, and {@code in -> new} (weight 1) and {@code new -> out} added. */
    private void addNode(Genome genome) {
        if (genome.connections.isEmpty()) {
            return;
        }
        Connection split = choice(new ArrayList<>(genome.connections.values()));
        int id = tracker.splitNode(split.innovation);
        genome.add(newNode(id));
        split.enabled = false;
        genome.add(new Connection(split.in, id, tracker.connection(split.in, id), 1.0, true));
        genome.add(new Connection(id, split.out, tracker.connection(id, split.out), split.weight, true));
    }

    private void deleteNode(Genome genome) {
        List<Integer> hidden =
                new ArrayList<>(genome.nodes.tailMap(config.outputs()).keySet());
        if (hidden.isEmpty()) {
            return;
        }
        int id = choice(hidden);
        genome.connections.values().removeIf(c -> c.in == id || c.out == id);
        genome.nodes.remove(id);
    }

    /** A random new connection, unless it exists, joins two outputs, or would close a cycle. */
    private void addConnection(Genome genome) {
        List<Integer> targets = new ArrayList<>(genome.nodes.keySet());
        int out = choice(targets);
        List<Integer> sources = new ArrayList<>(targets);
        for (int input = -1; input >= -config.inputs(); input--) {
            sources.add(input);
        }
        int in = choice(sources);
        boolean bothOutputs = in >= 0 && in < config.outputs() && out < config.outputs();
        if (genome.connection(in, out) != null || bothOutputs || Cycles.wouldCreateCycle(genome, in, out)) {
            return;
        }
        genome.add(newConnection(in, out));
    }

    private void deleteConnection(Genome genome) {
        if (!genome.connections.isEmpty()) {
            genome.connections.remove(choice(new ArrayList<>(genome.connections.keySet())));
        }
    }

    private Node newNode(int id) {
        return new Node(id, init(config.bias()), init(config.response()), config.activationDefault());
    }

    private Connection newConnection(int in, int out) {
        return new Connection(in, out, tracker.connection(in, out), init(config.weight()), true);
    }

    private double init(FloatAttribute a) {
        return clamp(a.initMean() + random.nextGaussian() * a.initStdev(), a);
    }

    /** neat-python's {@code FloatAttribute.mutate_value}: perturb, else replace, else keep. */
    private double mutate(double value, FloatAttribute a) {
        double r = random.nextDouble();
        if (r < a.mutateRate()) {
            return clamp(value + random.nextGaussian() * a.mutatePower(), a);
        }
        if (r < a.replaceRate() + a.mutateRate()) {
            return init(a);
        }
        return value;
    }

    private static double clamp(double value, FloatAttribute a) {
        return Math.max(a.minValue(), Math.min(a.maxValue(), value));
    }

    private <T> T choice(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
