package dev.onyx.onnx.internal;

import dev.onyx.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One graph indexed for pattern matching (who produces and who reads each value, constants, graph inputs) plus the
 * rewrite a matcher collects over it (nodes removed, nodes replaced, new initializers), which {@link #emit} turns into
 * the new graph. One per pass over one graph; not thread-safe.
 */
final class GraphIndex {
    static final String MS_DOMAIN = "com.microsoft";
    private static final String PREFIX = "onyx_fused/";

    private final GraphProto graph;
    private final Map<String, NodeProto> producer = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Set<String> graphInputs = new HashSet<>();
    private final Set<String> names = new HashSet<>();
    private final Map<NodeProto, NodeProto> replaceAt = new IdentityHashMap<>();
    private final Set<NodeProto> removed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<TensorProto> newInitializers = new ArrayList<>();
    private int counter;

    GraphIndex(GraphProto graph) {
        this.graph = graph;
        for (NodeProto node : graph.getNodeList()) {
            for (String output : node.getOutputList()) producer.put(output, node);
            for (String input : node.getInputList()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
            names.addAll(node.getOutputList());
            names.add(node.getName());
        }
        graph.getInputList().forEach(v -> graphInputs.add(v.getName()));
        for (TensorProto t : graph.getInitializerList()) {
            // an initializer that is also a graph input can be overridden at run time: not a constant
            if (!graphInputs.contains(t.getName())) initializers.put(t.getName(), t);
            names.add(t.getName());
        }
        names.addAll(graphInputs);
    }

    // ---- the graph as read --------------------------------------------------------------------------------------

    GraphProto graph() {
        return graph;
    }

    List<NodeProto> nodes() {
        return graph.getNodeList();
    }

    /** The node writing {@code value}, whatever its op; null for graph inputs and initializers. */
    NodeProto producer(String value) {
        return producer.get(value);
    }

    /** The nodes reading {@code value}, in graph order; empty when none. */
    List<NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** A constant initializer (not one that doubles as a graph input); null otherwise. */
    TensorProto initializer(String name) {
        return initializers.get(name);
    }

    /** The graph input called {@code name}; null when there is none. */
    ValueInfoProto graphInput(String name) {
        if (!graphInputs.contains(name)) return null;
        return graph.getInputList().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    boolean isGraphInput(String name) {
        return graphInputs.contains(name);
    }

    static boolean isOp(NodeProto node, String op) {
        return node != null && node.getOpType().equals(op) && node.getDomain().isEmpty();
    }

    /** The producer of {@code value} when it is an {@code op} node not already claimed by a rewrite; else null. */
    NodeProto producerOf(String value, String op) {
        NodeProto node = producer.get(value);
        return isOp(node, op) && !removed.contains(node) ? node : null;
    }

    /** True when {@code reader} is the only node reading {@code value} (any single reader when null). */
    boolean onlyConsumer(String value, NodeProto reader) {
        List<NodeProto> readers = consumers(value);
        return readers.size() == 1 && (reader == null || readers.get(0) == reader) && !graphOutput(value);
    }

    private boolean graphOutput(String value) {
        return graph.getOutputList().stream().anyMatch(v -> v.getName().equals(value));
    }

    /** The only reader of {@code value} when it is an {@code op} node and the value is no graph output; else null. */
    NodeProto soleConsumer(String value, String op) {
        List<NodeProto> readers = consumers(value);
        return readers.size() == 1 && isOp(readers.get(0), op) && !graphOutput(value) ? readers.get(0) : null;
    }

    /** The single reader of {@code value} with this op type among possibly several readers. */
    NodeProto only(String value, String op) {
        List<NodeProto> matching =
                consumers(value).stream().filter(n -> isOp(n, op)).toList();
        return matching.size() == 1 && !graphOutput(value) ? matching.get(0) : null;
    }

    /** The input of a binary node that is not {@code known}; null when {@code known} is not one of its two inputs. */
    static String other(NodeProto binary, String known) {
        if (binary.getInputCount() != 2) return null;
        if (binary.getInput(0).equals(known)) return binary.getInput(1);
        return binary.getInput(1).equals(known) ? binary.getInput(0) : null;
    }

    /** The Transpose producing {@code value} when its permutation is {@code perm}; null otherwise. */
    NodeProto transpose(String value, long... perm) {
        return transposeNode(producer.get(value), perm);
    }

    NodeProto transposeNode(NodeProto node, long... perm) {
        if (!isOp(node, "Transpose") || removed.contains(node)) return null;
        for (AttributeProto attr : node.getAttributeList()) {
            if (attr.getName().equals("perm")) {
                return Arrays.equals(
                                attr.getIntsList().stream()
                                        .mapToLong(Long::longValue)
                                        .toArray(),
                                perm)
                        ? node
                        : null;
            }
        }
        return null;
    }

    /** A constant initializer or the value of a {@code Constant} node; null otherwise. */
    TensorProto constant(String name) {
        TensorProto t = initializers.get(name);
        if (t != null) return t;
        NodeProto node = producer.get(name);
        if (isOp(node, "Constant")) {
            for (AttributeProto a : node.getAttributeList())
                if (a.getName().equals("value") && a.hasT()) return a.getT();
        }
        return null;
    }

    float[] constFloats(String name) {
        TensorProto t = constant(name);
        return t == null ? null : ProtoValues.floats(t);
    }

    Float constScalar(String name) {
        float[] values = constFloats(name);
        return values != null && values.length == 1 ? values[0] : null;
    }

    long[] constLongs(String name) {
        TensorProto t = constant(name);
        return t == null ? null : ProtoValues.longs(t);
    }

    // ---- the rewrite being collected ----------------------------------------------------------------------------

    /** A number unique within this pass, for naming what a match adds. */
    int nextId() {
        return counter++;
    }

    /** A name under the {@code onyx_fused/} prefix that no node, value or initializer of the graph uses yet. */
    String fresh(String base) {
        String name = PREFIX + base;
        for (int i = 1; names.contains(name); i++) name = PREFIX + base + "_" + i;
        names.add(name);
        return name;
    }

    void remove(Collection<NodeProto> nodes) {
        removed.addAll(nodes);
    }

    /** Puts {@code replacement} where {@code node} stood (and removes {@code node}). */
    void replace(NodeProto node, NodeProto replacement) {
        replaceAt.put(node, replacement);
    }

    void addInitializer(TensorProto tensor) {
        newInitializers.add(tensor);
    }

    /**
     * The graph with replacements in place, {@code leading} nodes first, unreachable nodes and unused initializers
     * dropped; the graph itself when nothing was replaced.
     */
    GraphProto emit(List<NodeProto> leading) {
        if (replaceAt.isEmpty()) return graph;
        List<NodeProto> nodes = new ArrayList<>(leading);
        for (NodeProto node : graph.getNodeList()) {
            NodeProto replacement = replaceAt.get(node);
            if (replacement != null) {
                nodes.add(replacement);
            } else if (!removed.contains(node)) {
                nodes.add(node);
            }
        }
        Set<String> needed = new HashSet<>();
        graph.getOutputList().forEach(v -> needed.add(v.getName()));
        List<NodeProto> live = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto node = nodes.get(i);
            if (node.getOutputList().stream().anyMatch(needed::contains)) {
                live.add(node);
                needed.addAll(node.getInputList());
            }
        }
        Collections.reverse(live);
        GraphProto.Builder out = graph.toBuilder().clearNode().addAllNode(live).clearInitializer();
        for (TensorProto t : graph.getInitializerList()) {
            if (needed.contains(t.getName()) || graphInputs.contains(t.getName())) out.addInitializer(t);
        }
        out.addAllInitializer(newInitializers);
        // intermediate value_info of values that no longer exist would only confuse readers
        Set<String> produced = new HashSet<>();
        live.forEach(n -> produced.addAll(n.getOutputList()));
        List<ValueInfoProto> info = new ArrayList<>();
        for (ValueInfoProto v : graph.getValueInfoList()) if (produced.contains(v.getName())) info.add(v);
        return out.clearValueInfo().addAllValueInfo(info).build();
    }
}
