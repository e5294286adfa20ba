package dev.onyx.neat.internal;

import dev.onyx.neat.internal.Genome.Connection;
import java.util.HashSet;
import java.util.Set;

/** neat-python's {@code creates_cycle}, over all connections, enabled or not; stateless and thread-safe. */
final class Cycles {
    private Cycles() {}

    /** True if adding {@code in -> out} to {@code genome} would close a cycle (a self-loop included). */
    static boolean wouldCreateCycle(Genome genome, int in, int out) {
        if (in == out) {
            return true;
        }
        Set<Integer> reachable = new HashSet<>();
        reachable.add(out);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Connection c : genome.connections.values()) {
                if (reachable.contains(c.in) && !reachable.contains(c.out)) {
                    if (c.out == in) {
                        return true;
                    }
                    reachable.add(c.out);
                    grew = true;
                }
            }
        }
        return false;
    }
}
