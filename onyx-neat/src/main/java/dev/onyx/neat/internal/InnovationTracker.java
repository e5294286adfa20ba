package dev.onyx.neat.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out node ids and innovation numbers so that, within one generation, the same structural change gets the same
 * numbers in every genome that makes it (neat-python 1.x's innovation tracker); mutable, one thread.
 *
 * <p>The per-generation maps are only looked up, never iterated, so their order does not matter.
 */
public final class InnovationTracker {
    private int nextNode;
    private long nextInnovation;
    private final Map<List<Integer>, Long> connections = new HashMap<>();
    private final Map<Long, Integer> splits = new HashMap<>();

    /** Hidden node ids start after the outputs {@code 0..outputs-1}. */
    public InnovationTracker(int outputs) {
        this.nextNode = outputs;
    }

    /** Forgets this generation's changes: the same change in a later generation gets new numbers. */
    public void newGeneration() {
        connections.clear();
        splits.clear();
    }

    /** The innovation number of a connection {@code in -> out} made in this generation. */
    public long connection(int in, int out) {
        return connections.computeIfAbsent(List.of(in, out), k -> nextInnovation++);
    }

    /** The id of the node that splits connection {@code innovation} in this generation. */
    public int splitNode(long innovation) {
        return splits.computeIfAbsent(innovation, k -> nextNode++);
    }
}
