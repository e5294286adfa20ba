package dev.onyx.onnx;

import static dev.onyx.onnx.AttributeType.FLOAT;
import static dev.onyx.onnx.AttributeType.INT;
import static dev.onyx.onnx.AttributeType.INTS;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ONNX operators (default domain, signatures of opsets 13 to 17) the builder can emit; constants are immutable
 * and thread-safe.
 *
 * <p>Each operator knows how many inputs it takes and which attributes, of which type, it accepts, and {@link
 * #check} rejects misuse with a message naming the node.
 */
public enum Op {
    MATMUL("MatMul", 2, 2),
    GEMM("Gemm", 2, 3, Map.of("alpha", FLOAT, "beta", FLOAT, "transA", INT, "transB", INT)),
    ADD("Add", 2, 2),
    SUB("Sub", 2, 2),
    MUL("Mul", 2, 2),
    DIV("Div", 2, 2),
    MAX("Max", 1, Integer.MAX_VALUE),
    MIN("Min", 1, Integer.MAX_VALUE),
    EQUAL("Equal", 2, 2),
    WHERE("Where", 3, 3),
    RECIPROCAL("Reciprocal", 1, 1),
    RELU("Relu", 1, 1),
    LEAKY_RELU("LeakyRelu", 1, 1, Map.of("alpha", FLOAT)),
    ELU("Elu", 1, 1, Map.of("alpha", FLOAT)),
    SELU("Selu", 1, 1, Map.of("alpha", FLOAT, "gamma", FLOAT)),
    SOFTPLUS("Softplus", 1, 1),
    SIGMOID("Sigmoid", 1, 1),
    TANH("Tanh", 1, 1),
    SOFTMAX("Softmax", 1, 1, Map.of("axis", INT)),
    EXP("Exp", 1, 1),
    LOG("Log", 1, 1),
    ABS("Abs", 1, 1),
    NEG("Neg", 1, 1),
    SIN("Sin", 1, 1),
    CLIP("Clip", 1, 3),
    GATHER("Gather", 2, 2, Map.of("axis", INT)),
    REDUCE_MEAN("ReduceMean", 1, 1, Map.of("axes", INTS, "keepdims", INT)),
    REDUCE_SUM("ReduceSum", 1, 2, Map.of("keepdims", INT, "noop_with_empty_axes", INT)),
    CONCAT("Concat", 1, Integer.MAX_VALUE, Map.of("axis", INT), Set.of("axis")),
    RESHAPE("Reshape", 2, 2, Map.of("allowzero", INT)),
    UNSQUEEZE("Unsqueeze", 2, 2),
    SQUEEZE("Squeeze", 1, 2),
    CAST("Cast", 1, 1, Map.of("to", INT), Set.of("to")),
    IDENTITY("Identity", 1, 1);

    private final String onnxName;
    private final int minInputs;
    private final int maxInputs;
    private final Map<String, AttributeType> attributes;
    private final Set<String> requiredAttributes;

    Op(String onnxName, int minInputs, int maxInputs) {
        this(onnxName, minInputs, maxInputs, Map.of(), Set.of());
    }

    Op(String onnxName, int minInputs, int maxInputs, Map<String, AttributeType> attributes) {
        this(onnxName, minInputs, maxInputs, attributes, Set.of());
    }

    Op(
            String onnxName,
            int minInputs,
            int maxInputs,
            Map<String, AttributeType> attributes,
            Set<String> requiredAttributes) {
        this.onnxName = onnxName;
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
        this.attributes = attributes;
        this.requiredAttributes = requiredAttributes;
    }

    /** The {@code op_type} written into the model, e.g. {@code "MatMul"}. */
    public String onnxName() {
        return onnxName;
    }

    public int minInputs() {
        return minInputs;
    }

    public int maxInputs() {
        return maxInputs;
    }

    /** The attributes this operator accepts, by name, with their types. */
    public Map<String, AttributeType> attributes() {
        return attributes;
    }

    /**
     * Checks a use of this operator: input count, attribute names, types, duplicates and required attributes.
     *
     * @throws OnnxBuildException naming {@code nodeName} and what is allowed
     */
    public void check(String nodeName, int inputCount, List<Attribute> given) {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(given, "given");
        if (inputCount < minInputs || inputCount > maxInputs) {
            throw new OnnxBuildException("node '" + nodeName + "' (" + onnxName + ") has " + inputCount + " inputs; "
                    + onnxName + " takes " + arity());
        }
        Set<String> seen = new HashSet<>();
        for (Attribute attribute : given) {
            AttributeType expected = attributes.get(attribute.name());
            if (expected == null) {
                throw new OnnxBuildException("node '" + nodeName + "' (" + onnxName + ") has unknown attribute '"
                        + attribute.name() + "'; allowed: " + describeAttributes());
            }
            if (expected != attribute.type()) {
                throw new OnnxBuildException("node '" + nodeName + "' (" + onnxName + ") attribute '" + attribute.name()
                        + "' must be " + expected + ", got " + attribute.type());
            }
            if (!seen.add(attribute.name())) {
                throw new OnnxBuildException(
                        "node '" + nodeName + "' (" + onnxName + ") sets attribute '" + attribute.name() + "' twice");
            }
        }
        for (String required : requiredAttributes) {
            if (!seen.contains(required)) {
                throw new OnnxBuildException("node '" + nodeName + "' (" + onnxName + ") needs attribute '" + required
                        + "' (" + attributes.get(required) + ")");
            }
        }
    }

    private String arity() {
        if (minInputs == maxInputs) {
            return "exactly " + minInputs;
        }
        return maxInputs == Integer.MAX_VALUE ? "at least " + minInputs : minInputs + " to " + maxInputs;
    }

    private String describeAttributes() {
        if (attributes.isEmpty()) {
            return "none";
        }
        return attributes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }
}
