package dev.onyx.onnx;

import dev.onyx.onnx.NeatGenome.ConnectionGene;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The evaluation order of a feed-forward genome, as neat-python's {@code FeedForwardNetwork} builds it; immutable and
 * thread-safe.
 *
 * <p>Only enabled connections count; only nodes the outputs depend on are kept; a kept node without incoming
 * connections outputs {@code act(bias)}. Layers group nodes by longest distance from the inputs, so every node's
 * sources lie in earlier layers.
 *
 * <p>Public so that every evaluator of a genome (the exporter here, the ONNX-mirroring float32 evaluator in onyx-neat)
 * uses the same order; build it with {@link #of(NeatGenome)}.
 *
 * @param layers node ids per layer, ascending within a layer
 * @param incoming enabled connections into each kept node, in genome order
 */
public record FeedForwardPlan(List<List<Integer>> layers, Map<Integer, List<ConnectionGene>> incoming) {

    /** Copies both collections, so the plan stays immutable whatever the caller does with its own. */
    public FeedForwardPlan {
        layers = layers.stream().map(List::copyOf).toList();
        Map<Integer, List<ConnectionGene>> copy = new HashMap<>();
        incoming.forEach((id, in) -> copy.put(id, List.copyOf(in)));
        incoming = Map.copyOf(copy);
    }

    /**
     * The plan of {@code genome}.
     *
     * @throws OnnxBuildException if the enabled connections form a cycle (the message names it)
     */
    public static FeedForwardPlan of(NeatGenome genome) {
        List<ConnectionGene> enabled =
                genome.connections().stream().filter(ConnectionGene::enabled).toList();
        rejectCycles(enabled);
        Map<Integer, List<ConnectionGene>> into = new HashMap<>();
        for (ConnectionGene c : enabled) {
            into.computeIfAbsent(c.out(), k -> new ArrayList<>()).add(c);
        }
        Set<Integer> required = required(genome.outputs(), into);
        Map<Integer, Integer> depth = new HashMap<>();
        for (int id : required) {
            depth(id, into, depth);
        }
        TreeMap<Integer, List<Integer>> byDepth = new TreeMap<>();
        required.stream()
                .sorted()
                .forEach(id -> byDepth.computeIfAbsent(depth.get(id), k -> new ArrayList<>())
                        .add(id));
        Map<Integer, List<ConnectionGene>> incoming = new HashMap<>();
        for (int id : required) {
            incoming.put(id, List.copyOf(into.getOrDefault(id, List.of())));
        }
        List<List<Integer>> layers =
                byDepth.values().stream().map(List::copyOf).collect(Collectors.toUnmodifiableList());
        return new FeedForwardPlan(layers, Map.copyOf(incoming));
    }

    private static Set<Integer> required(int outputs, Map<Integer, List<ConnectionGene>> into) {
        Set<Integer> required = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>();
        for (int output = 0; output < outputs; output++) {
            todo.push(output);
        }
        while (!todo.isEmpty()) {
            int id = todo.pop();
            if (id >= 0 && required.add(id)) {
                into.getOrDefault(id, List.of()).forEach(c -> todo.push(c.in()));
            }
        }
        return required;
    }

    private static int depth(int id, Map<Integer, List<ConnectionGene>> into, Map<Integer, Integer> memo) {
        if (id < 0) {
            return 0;
        }
        Integer known = memo.get(id);
        if (known != null) {
            return known;
        }
        int deepest = 0;
        for (ConnectionGene c : into.getOrDefault(id, List.of())) {
            deepest = Math.max(deepest, depth(c.in(), into, memo));
        }
        memo.put(id, deepest + 1);
        return deepest + 1;
    }

    private static void rejectCycles(List<ConnectionGene> enabled) {
        Map<Integer, List<Integer>> next = new HashMap<>();
        for (ConnectionGene c : enabled) {
            next.computeIfAbsent(c.in(), k -> new ArrayList<>()).add(c.out());
        }
        Map<Integer, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        for (int start : next.keySet().stream().sorted().toList()) {
            Deque<Integer> path = new ArrayDeque<>();
            visit(start, next, state, path);
        }
    }

    private static void visit(
            int id, Map<Integer, List<Integer>> next, Map<Integer, Integer> state, Deque<Integer> path) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return;
        }
        path.addLast(id);
        if (s != null) {
            List<Integer> cycle = new ArrayList<>(path);
            String text = cycle.subList(cycle.indexOf(id), cycle.size()).stream()
                    .map(String::valueOf)
                    .collect(Collectors.joining(" -> "));
            throw new OnnxBuildException("genome is recurrent: enabled connections form the cycle " + text
                    + "; only feed-forward (acyclic) genomes can be evaluated or exported");
        }
        state.put(id, 1);
        for (int target : next.getOrDefault(id, List.of())) {
            visit(target, next, state, path);
        }
        state.put(id, 2);
        path.removeLast();
    }
}
