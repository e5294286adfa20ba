package dev.onyx.onnx.internal;

import dev.onyx.onnx.OnnxBuildException;
import dev.onyx.onnx.internal.GraphParts.Graph;
import dev.onyx.onnx.internal.GraphParts.Initializer;
import dev.onyx.onnx.internal.GraphParts.NodeDecl;
import dev.onyx.onnx.internal.GraphParts.ValueDecl;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Checks the structural rules ONNX requires before anything is serialized; stateless and thread-safe. */
public final class GraphValidator {
    private GraphValidator() {}

    /**
     * Checks unique names, single assignment, topological order and that every graph output is produced.
     *
     * @throws OnnxBuildException naming the node or value that breaks a rule
     */
    public static void validate(Graph graph) {
        if (graph.outputs().isEmpty()) {
            throw new OnnxBuildException(
                    "graph '" + graph.info().graphName() + "' has no outputs; declare at least one with output(...)");
        }
        Map<String, String> producers = new HashMap<>();
        for (ValueDecl input : graph.inputs()) {
            define(producers, input.name(), "graph input");
        }
        for (Initializer initializer : graph.initializers()) {
            define(producers, initializer.name(), "initializer");
        }
        Set<String> nodeNames = new HashSet<>();
        for (NodeDecl node : graph.nodes()) {
            if (!nodeNames.add(node.name())) {
                throw new OnnxBuildException("duplicate node name '" + node.name() + "'; node names must be unique");
            }
            for (String input : node.inputs()) {
                if (!input.isEmpty() && !producers.containsKey(input)) {
                    throw new OnnxBuildException(
                            "node '" + node.name() + "' (" + node.op().onnxName() + ") reads '"
                                    + input + "', which no graph input, initializer or earlier node produces"
                                    + " (nodes must be added in topological order)");
                }
            }
            for (String output : node.outputs()) {
                define(producers, output, "output of node '" + node.name() + "'");
            }
        }
        Set<String> outputNames = new HashSet<>();
        for (ValueDecl output : graph.outputs()) {
            if (!producers.containsKey(output.name())) {
                throw new OnnxBuildException(
                        "graph output '" + output.name() + "' is not produced by any node, input or initializer");
            }
            if (!outputNames.add(output.name())) {
                throw new OnnxBuildException("graph output '" + output.name() + "' is declared twice");
            }
        }
    }

    private static void define(Map<String, String> producers, String name, String what) {
        if (name.isEmpty()) {
            throw new OnnxBuildException("value names must not be empty (" + what + ")");
        }
        String previous = producers.putIfAbsent(name, what);
        if (previous != null) {
            throw new OnnxBuildException("value '" + name + "' is defined twice: as " + previous + " and as " + what
                    + "; every value must be assigned exactly once");
        }
    }
}
