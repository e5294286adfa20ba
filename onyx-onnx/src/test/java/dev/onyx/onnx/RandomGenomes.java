package dev.onyx.onnx;

import dev.onyx.onnx.NeatGenome.ConnectionGene;
import dev.onyx.onnx.NeatGenome.NodeGene;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random acyclic genomes for property tests: hidden layers, disabled connections, dangling and bias-only nodes, every
 * activation; deterministic for a given seed. Test helper, not thread-safe.
 */
final class RandomGenomes {
    private static final NeatActivation[] ACTIVATIONS = NeatActivation.values();
    private final SplittableRandom random;
    private int activationCursor;

    RandomGenomes(long seed) {
        this.random = new SplittableRandom(seed);
    }

    NeatGenome next(int maxHidden) {
        int inputs = 1 + random.nextInt(5);
        int outputs = 1 + random.nextInt(3);
        int hidden = random.nextInt(maxHidden + 1);
        List<Integer> order = new ArrayList<>();
        List<NodeGene> nodes = new ArrayList<>();
        for (int i = 0; i < outputs + hidden; i++) {
            int id = i < outputs ? i : 10 + i;
            order.add(id);
            nodes.add(new NodeGene(
                    id,
                    uniform(-1, 1),
                    random.nextInt(4) == 0 ? uniform(0.5, 1.5) : 1.0,
                    nextActivation(),
                    NeatGenome.Aggregation.SUM));
        }
        // A random topological order over all non-input nodes: connections only go forwards in it, so no cycles.
        Collections.shuffle(order, new java.util.Random(random.nextLong()));
        List<ConnectionGene> connections = new ArrayList<>();
        long innovation = 0;
        for (int t = 0; t < order.size(); t++) {
            int target = order.get(t);
            for (int s = -inputs; s < t; s++) {
                int source = s < 0 ? s : order.get(s);
                if (random.nextDouble() < 0.45) {
                    connections.add(new ConnectionGene(
                            source, target, uniform(-1.5, 1.5), random.nextDouble() > 0.15, innovation++));
                }
            }
        }
        Collections.shuffle(connections, new java.util.Random(random.nextLong()));
        return new NeatGenome(inputs, outputs, nodes, connections);
    }

    private NeatActivation nextActivation() {
        if (random.nextBoolean()) {
            return ACTIVATIONS[activationCursor++ % ACTIVATIONS.length];
        }
        return ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
    }

    /** A copy of {@code genome} with every weight, bias and response moved by up to {@code relative}. */
    NeatGenome perturb(NeatGenome genome, double relative) {
        List<NodeGene> nodes = genome.nodes().stream()
                .map(n -> new NodeGene(
                        n.id(),
                        n.bias() * (1 + uniform(-relative, relative)),
                        n.response() * (1 + uniform(-relative, relative)),
                        n.activation(),
                        n.aggregation()))
                .toList();
        List<ConnectionGene> connections = genome.connections().stream()
                .map(c -> new ConnectionGene(
                        c.in(), c.out(), c.weight() * (1 + uniform(-relative, relative)), c.enabled(), c.innovation()))
                .toList();
        return new NeatGenome(genome.inputs(), genome.outputs(), nodes, connections);
    }

    double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    float[] inputs(int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) uniform(-1, 1);
        }
        return values;
    }
}
