package dev.onyx.onnx;

import dev.onyx.onnx.internal.GraphParts;
import dev.onyx.onnx.internal.GraphParts.Initializer;
import dev.onyx.onnx.internal.GraphParts.NodeDecl;
import dev.onyx.onnx.internal.GraphParts.ValueDecl;
import dev.onyx.onnx.internal.GraphValidator;
import dev.onyx.onnx.internal.ProtoWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one ONNX model step by step; not thread-safe (confine an instance to one thread), and the caller owns it.
 *
 * <p>Operator arity and attribute types are checked when a node is added; unique names, single assignment,
 * topological order and "every output produced" are checked by {@link #build()}, with messages naming the node.
 * Defaults: IR version {@value #DEFAULT_IR_VERSION}, opset {@value #DEFAULT_OPSET}.
 */
public final class OnnxGraphBuilder {
    /** IR version accepted by ONNX Runtime 1.23 and by the {@code onnx} 1.12 checker. */
    public static final long DEFAULT_IR_VERSION = 8;
    /** Default-domain opset accepted by ONNX Runtime 1.23 and by the {@code onnx} 1.12 checker. */
    public static final int DEFAULT_OPSET = 17;

    private final String graphName;
    private long irVersion = DEFAULT_IR_VERSION;
    private int opsetVersion = DEFAULT_OPSET;
    private String producerName = "onyx";
    private String producerVersion = "0.1.0";
    private String docString = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ValueDecl> inputs = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final List<NodeDecl> nodes = new ArrayList<>();
    private final List<ValueDecl> outputs = new ArrayList<>();
    private int counter;

    private OnnxGraphBuilder(String graphName) {
        this.graphName = graphName;
    }

    /** Starts a model whose graph is called {@code graphName}. */
    public static OnnxGraphBuilder create(String graphName) {
        Objects.requireNonNull(graphName, "graphName");
        if (graphName.isBlank()) {
            throw new OnnxBuildException("graph name must not be blank");
        }
        return new OnnxGraphBuilder(graphName);
    }

    /** Sets the IR version; 7 to 10 are allowed (opset 13 to 17 need at least 7). */
    public OnnxGraphBuilder irVersion(long version) {
        if (version < 7 || version > 10) {
            throw new OnnxBuildException("IR version must be 7 to 10, got " + version);
        }
        this.irVersion = version;
        return this;
    }

    /** Sets the default-domain opset; 13 to 17 are allowed (the signatures {@link Op} describes). */
    public OnnxGraphBuilder opset(int version) {
        if (version < 13 || version > 17) {
            throw new OnnxBuildException(
                    "opset must be 13 to 17 (the operator signatures Op describes), got " + version);
        }
        this.opsetVersion = version;
        return this;
    }

    public OnnxGraphBuilder producer(String name, String version) {
        this.producerName = Objects.requireNonNull(name, "name");
        this.producerVersion = Objects.requireNonNull(version, "version");
        return this;
    }

    public OnnxGraphBuilder docString(String text) {
        this.docString = Objects.requireNonNull(text, "text");
        return this;
    }

    /** Adds a {@code metadata_props} entry, e.g. provenance; a later value for the same key replaces the earlier. */
    public OnnxGraphBuilder metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Declares a graph input; dimensions may be symbolic, e.g. {@code Dim.of("batch")}. */
    public ValueRef input(String name, ElementType type, Dim... shape) {
        inputs.add(new ValueDecl(checkName(name), Objects.requireNonNull(type, "type"), List.of(shape)));
        return new ValueRef(name);
    }

    public ValueRef initializer(String name, float[] data, long... shape) {
        return addInitializer(name, ElementType.FLOAT, data.clone(), data.length, shape);
    }

    public ValueRef initializer(String name, long[] data, long... shape) {
        return addInitializer(name, ElementType.INT64, data.clone(), data.length, shape);
    }

    public ValueRef initializer(String name, int[] data, long... shape) {
        return addInitializer(name, ElementType.INT32, data.clone(), data.length, shape);
    }

    /** Adds a node with a generated name and output; returns its output. */
    public ValueRef node(Op op, List<ValueRef> nodeInputs, Attribute... attributes) {
        String name = Objects.requireNonNull(op, "op").onnxName() + "_" + counter++;
        return node(op, name + "_out", nodeInputs, attributes);
    }

    /** Adds a node whose single output is called {@code outputName}; returns that output. */
    public ValueRef node(Op op, String outputName, List<ValueRef> nodeInputs, Attribute... attributes) {
        Objects.requireNonNull(nodeInputs, "nodeInputs");
        String nodeName = outputName + "_node";
        List<String> names = nodeInputs.stream().map(ValueRef::name).toList();
        node(nodeName, op, names, List.of(outputName), List.of(attributes));
        return new ValueRef(outputName);
    }

    /**
     * Adds a node by names, the low-level form the other {@code node} methods use; an empty input name marks an
     * omitted optional input.
     */
    public void node(String nodeName, Op op, List<String> nodeInputs, List<String> nodeOutputs, List<Attribute> attrs) {
        Objects.requireNonNull(op, "op");
        checkName(nodeName);
        op.check(nodeName, nodeInputs.size(), attrs);
        if (nodeOutputs.size() != 1) {
            throw new OnnxBuildException("node '" + nodeName + "' (" + op.onnxName()
                    + ") must have exactly 1 output, got " + nodeOutputs.size());
        }
        nodes.add(new NodeDecl(nodeName, op, nodeInputs, nodeOutputs, attrs));
    }

    /** Declares {@code value} as a graph output with the given type and shape. */
    public OnnxGraphBuilder output(ValueRef value, ElementType type, Dim... shape) {
        Objects.requireNonNull(value, "value");
        outputs.add(new ValueDecl(value.name(), Objects.requireNonNull(type, "type"), List.of(shape)));
        return this;
    }

    /** Validates the graph and serializes it. */
    public ExportedModel build() {
        GraphParts.Graph graph = new GraphParts.Graph(
                new GraphParts.ModelInfo(
                        graphName,
                        irVersion,
                        opsetVersion,
                        producerName,
                        producerVersion,
                        docString,
                        new LinkedHashMap<>(metadata)),
                List.copyOf(inputs),
                List.copyOf(initializers),
                List.copyOf(nodes),
                List.copyOf(outputs));
        GraphValidator.validate(graph);
        return new ExportedModel(
                ProtoWriter.write(graph),
                inputs.stream().map(ValueDecl::name).toList(),
                outputs.stream().map(ValueDecl::name).toList());
    }

    /** Validates and serializes; same as {@code build().toByteArray()}. */
    public byte[] toByteArray() {
        return build().toByteArray();
    }

    /** Validates, serializes and writes the model to {@code file}. */
    public void writeTo(Path file) throws IOException {
        build().writeTo(file);
    }

    private ValueRef addInitializer(String name, ElementType type, Object data, int length, long[] shape) {
        checkName(name);
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (Arrays.stream(shape).anyMatch(d -> d < 0) || count != length) {
            throw new OnnxBuildException("initializer '" + name + "' has " + length + " values but shape "
                    + Arrays.toString(shape) + " needs " + count);
        }
        initializers.add(new Initializer(name, type, shape.clone(), data));
        return new ValueRef(name);
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new OnnxBuildException("names must not be empty");
        }
        return name;
    }
}
