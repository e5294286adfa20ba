package dev.onyx.neat.internal;

import dev.onyx.neat.NeatConfig;
import dev.onyx.neat.internal.Genome.Connection;
import dev.onyx.neat.internal.Genome.Node;
import java.util.Map;

/**
 * neat-python's genomic distance: for nodes (by id) and connections (by innovation number) separately, {@code
 * (weightCoefficient · Σ attribute differences of matching genes + disjointCoefficient · non-matching genes) / larger
 * gene count}, summed; immutable and thread-safe.
 */
public final class Compatibility {
    private final double disjoint;
    private final double weight;

    public Compatibility(NeatConfig config) {
        this.disjoint = config.compatibilityDisjointCoefficient();
        this.weight = config.compatibilityWeightCoefficient();
    }

    public double distance(Genome a, Genome b) {
        return nodeDistance(a.nodes, b.nodes) + connectionDistance(a.connections, b.connections);
    }

    private double nodeDistance(Map<Integer, Node> a, Map<Integer, Node> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0.0;
        }
        int unmatched = countMissing(b, a);
        double matched = 0.0;
        for (Node n1 : a.values()) {
            Node n2 = b.get(n1.id);
            if (n2 == null) {
                unmatched++;
            } else {
                double d = Math.abs(n1.bias - n2.bias) + Math.abs(n1.response - n2.response);
                matched += (n1.activation == n2.activation ? d : d + 1.0) * weight;
            }
        }
        return (matched + disjoint * unmatched) / Math.max(a.size(), b.size());
    }

    private double connectionDistance(Map<Long, Connection> a, Map<Long, Connection> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0.0;
        }
        int unmatched = countMissing(b, a);
        double matched = 0.0;
        for (Connection c1 : a.values()) {
            Connection c2 = b.get(c1.innovation);
            if (c2 == null) {
                unmatched++;
            } else {
                double d = Math.abs(c1.weight - c2.weight);
                matched += (c1.enabled == c2.enabled ? d : d + 1.0) * weight;
            }
        }
        return (matched + disjoint * unmatched) / Math.max(a.size(), b.size());
    }

    private static <K> int countMissing(Map<K, ?> from, Map<K, ?> in) {
        int n = 0;
        for (K key : from.keySet()) {
            if (!in.containsKey(key)) {
                n++;
            }
        }
        return n;
    }
}
