package dev.onyx.neat.internal;

import dev.onyx.onnx.NeatActivation;
import dev.onyx.onnx.NeatGenome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A genome while it evolves: node genes by id and connection genes by innovation number, both in sorted maps so every
 * walk over them has one fixed order; mutable, used by one thread. {@link #toValue} gives the immutable onyx-onnx
 * value that evaluators and exporters take.
 */
public final class Genome {
    /** A node gene: {@code activation(bias + response · Σ weight·input)}. */
    public static final class Node {
        public final int id;
        public double bias;
        public double response;
        public NeatActivation activation;

        public Node(int id, double bias, double response, NeatActivation activation) {
            this.id = id;
            this.bias = bias;
            this.response = response;
            this.activation = activation;
        }

        Node copy() {
            return new Node(id, bias, response, activation);
        }
    }

    /** A connection gene, identified by its innovation number. */
    public static final class Connection {
        public final int in;
        public final int out;
        public final long innovation;
        public double weight;
        public boolean enabled;

        public Connection(int in, int out, long innovation, double weight, boolean enabled) {
            this.in = in;
            this.out = out;
            this.innovation = innovation;
            this.weight = weight;
            this.enabled = enabled;
        }

        Connection copy() {
            return new Connection(in, out, innovation, weight, enabled);
        }
    }

    public final int key;
    public final TreeMap<Integer, Node> nodes = new TreeMap<>();
    public final TreeMap<Long, Connection> connections = new TreeMap<>();
    /** NaN until evaluated. */
    public double fitness = Double.NaN;

    public Genome(int key) {
        this.key = key;
    }

    public void add(Node node) {
        nodes.put(node.id, node);
    }

    public void add(Connection connection) {
        connections.put(connection.innovation, connection);
    }

    /** The connection from {@code in} to {@code out}, enabled or not, or null. */
    public Connection connection(int in, int out) {
        for (Connection c : connections.values()) {
            if (c.in == in && c.out == out) {
                return c;
            }
        }
        return null;
    }

    /** Enabled connections, neat-python's second size figure. */
    public int enabledConnections() {
        int n = 0;
        for (Connection c : connections.values()) {
            if (c.enabled) {
                n++;
            }
        }
        return n;
    }

    /** The immutable value of this genome: nodes by id, connections by innovation. */
    public NeatGenome toValue(int inputs, int outputs) {
        List<NeatGenome.NodeGene> nodeGenes = new ArrayList<>(nodes.size());
        for (Node n : nodes.values()) {
            nodeGenes.add(new NeatGenome.NodeGene(n.id, n.bias, n.response, n.activation, NeatGenome.Aggregation.SUM));
        }
        List<NeatGenome.ConnectionGene> connectionGenes = new ArrayList<>(connections.size());
        for (Map.Entry<Long, Connection> e : connections.entrySet()) {
            Connection c = e.getValue();
            connectionGenes.add(new NeatGenome.ConnectionGene(c.in, c.out, c.weight, c.enabled, c.innovation));
        }
        return new NeatGenome(inputs, outputs, nodeGenes, connectionGenes);
    }
}
