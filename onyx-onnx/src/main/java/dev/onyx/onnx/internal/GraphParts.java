package dev.onyx.onnx.internal;

import dev.onyx.onnx.Attribute;
import dev.onyx.onnx.Dim;
import dev.onyx.onnx.ElementType;
import dev.onyx.onnx.Op;
import java.util.List;
import java.util.Map;

/** Plain values describing a graph before serialization; immutable holders, not for use outside this module. */
public final class GraphParts {
    private GraphParts() {}

    /** A graph input or output declaration. */
    public record ValueDecl(String name, ElementType type, List<Dim> shape) {
        public ValueDecl {
            shape = List.copyOf(shape);
        }
    }

    /** A constant tensor; {@code data} is a {@code float[]}, {@code long[]} or {@code int[]} owned by this holder. */
    public record Initializer(String name, ElementType type, long[] dims, Object data) {}

    /** One node, in the order it was added. */
    public record NodeDecl(String name, Op op, List<String> inputs, List<String> outputs, List<Attribute> attributes) {
        public NodeDecl {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = List.copyOf(attributes);
        }
    }

    /** Model-level settings. */
    public record ModelInfo(
            String graphName,
            long irVersion,
            int opsetVersion,
            String producerName,
            String producerVersion,
            String docString,
            Map<String, String> metadata) {}

    /** Everything a model consists of. */
    public record Graph(
            ModelInfo info,
            List<ValueDecl> inputs,
            List<Initializer> initializers,
            List<NodeDecl> nodes,
            List<ValueDecl> outputs) {}
}
