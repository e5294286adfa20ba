package dev.onyx.onnx;

import dev.onyx.onnx.internal.GenomeJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A feed-forward NEAT genome in neat-python's conventions; an immutable value, thread-safe.
 *
 * <p>Input nodes are {@code -1..-inputs} and have no gene; output nodes are {@code 0..outputs-1}; any other id is a
 * hidden node. The constructor checks that every id a connection names exists, that outputs have genes and that no
 * connection is given twice; cycles are allowed here and rejected by the evaluator and the exporter.
 */
public record NeatGenome(int inputs, int outputs, List<NodeGene> nodes, List<ConnectionGene> connections) {

    /** How a node combines its weighted inputs; only neat-python's {@code sum} is supported. */
    public enum Aggregation {
        SUM
    }

    /** A non-input node: {@code value = activation(bias + response * Σ weight·input)}. */
    public record NodeGene(int id, double bias, double response, NeatActivation activation, Aggregation aggregation) {
        public NodeGene {
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(aggregation, "aggregation");
        }
    }

    /** A connection from {@code in} to {@code out}; only enabled connections take part in evaluation. */
    public record ConnectionGene(int in, int out, double weight, boolean enabled, long innovation) {}

    public NeatGenome {
        if (inputs < 1 || outputs < 1) {
            throw new OnnxBuildException(
                    "a genome needs at least 1 input and 1 output, got inputs=" + inputs + ", outputs=" + outputs);
        }
        nodes = List.copyOf(nodes);
        connections = List.copyOf(connections);
        Set<Integer> ids = new HashSet<>();
        for (NodeGene node : nodes) {
            if (node.id() < 0) {
                throw new OnnxBuildException("node " + node.id()
                        + " has a negative id; negative ids are the inputs -1..-" + inputs + " and have no node gene");
            }
            if (!ids.add(node.id())) {
                throw new OnnxBuildException("node " + node.id() + " is defined twice");
            }
        }
        for (int output = 0; output < outputs; output++) {
            if (!ids.contains(output)) {
                throw new OnnxBuildException(
                        "output node " + output + " has no node gene; outputs are 0.." + (outputs - 1));
            }
        }
        checkConnections(inputs, ids, connections);
    }

    private static void checkConnections(int inputs, Set<Integer> ids, List<ConnectionGene> connections) {
        Set<List<Integer>> seen = new HashSet<>();
        for (ConnectionGene c : connections) {
            boolean inExists = (c.in() < 0 && c.in() >= -inputs) || ids.contains(c.in());
            if (!inExists || !ids.contains(c.out())) {
                int missing = inExists ? c.out() : c.in();
                throw new OnnxBuildException("connection " + c.in() + " -> " + c.out() + " refers to missing node "
                        + missing + "; nodes are inputs -1..-" + inputs + " and " + new TreeSet<>(ids));
            }
            if (!seen.add(List.of(c.in(), c.out()))) {
                throw new OnnxBuildException("connection " + c.in() + " -> " + c.out() + " is given twice");
            }
        }
    }

    /** The gene of node {@code id}. */
    public NodeGene node(int id) {
        return nodes.stream()
                .filter(n -> n.id() == id)
                .findFirst()
                .orElseThrow(() -> new OnnxBuildException("no node " + id));
    }

    /** Parses neat-python-style genome JSON (see the module README); errors name the field and value. */
    public static NeatGenome parse(String json) {
        return GenomeJson.parse(Objects.requireNonNull(json, "json"));
    }

    /** Reads and parses a genome JSON file. */
    public static NeatGenome read(Path file) throws IOException {
        return GenomeJson.read(Objects.requireNonNull(file, "file"));
    }

    /** This genome as JSON in the format {@link #parse} reads. */
    public String toJson() {
        return GenomeJson.write(this);
    }
}
