package dev.onyx.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an ONNX model's graph is made of: how many nodes of each operator, and how many weights of each element type; an
 * immutable record. Enough to tell an int8 model (quantization operators) or an fp16 one from an fp32 one without
 * running it.
 *
 * @param operators node count per operator ({@code domain:op} for operators outside the default domain, e.g. {@code
 *     com.microsoft:MatMulIntegerToFloat}), main graph only
 * @param initializers initializer count per ONNX element type name ({@code FLOAT}, {@code INT8}, {@code FLOAT16}, ...)
 */
public record GraphCensus(Map<String, Integer> operators, Map<String, Integer> initializers) {
    /** Operators that only appear in quantized graphs (ONNX's and ONNX Runtime's contrib ones), without domain. */
    static final Set<String> INT8_OPERATORS = Set.of(
            "QuantizeLinear",
            "DequantizeLinear",
            "DynamicQuantizeLinear",
            "MatMulInteger",
            "ConvInteger",
            "QLinearMatMul",
            "QLinearConv",
            "MatMulIntegerToFloat",
            "DynamicQuantizeMatMul",
            "QAttention",
            "QGemm",
            "QOrderedMatMul",
            "QOrderedAttention",
            "MatMulNBits");

    public GraphCensus {
        operators = Map.copyOf(Objects.requireNonNull(operators, "operators"));
        initializers = Map.copyOf(Objects.requireNonNull(initializers, "initializers"));
    }

    /**
     * Reads a model file's graph (weights are mapped, not copied).
     *
     * @throws IOException when the file cannot be read
     * @throws OnnxBuildException when it is not an ONNX model
     */
    public static GraphCensus of(Path model) throws IOException {
        Objects.requireNonNull(model, "model");
        ModelProto proto;
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new OnnxBuildException("cannot read " + model + ": over 2 GiB (weights in external data?)");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            CodedInputStream input = CodedInputStream.newInstance(mapped);
            input.enableAliasing(true);
            input.setSizeLimit(Integer.MAX_VALUE);
            try {
                proto = ModelProto.parseFrom(input);
            } catch (InvalidProtocolBufferException e) {
                throw new OnnxBuildException("cannot read " + model + ": not an ONNX model (" + e.getMessage() + ")");
            }
        }
        Map<String, Integer> operators = new TreeMap<>();
        for (NodeProto node : proto.getGraph().getNodeList()) {
            String domain = node.getDomain();
            String name =
                    domain.isEmpty() || domain.equals("ai.onnx") ? node.getOpType() : domain + ":" + node.getOpType();
            operators.merge(name, 1, Integer::sum);
        }
        Map<String, Integer> initializers = new TreeMap<>();
        for (TensorProto tensor : proto.getGraph().getInitializerList()) {
            TensorProto.DataType type = TensorProto.DataType.forNumber(tensor.getDataType());
            initializers.merge(type == null ? "UNKNOWN" : type.name(), 1, Integer::sum);
        }
        return new GraphCensus(operators, initializers);
    }

    /** The quantization operators in the graph (as named in {@link #operators()}), sorted; empty for a float model. */
    public Set<String> int8Operators() {
        Set<String> found = new TreeSet<>();
        for (String name : operators.keySet()) {
            String op = name.substring(name.indexOf(':') + 1);
            if (INT8_OPERATORS.contains(op)) found.add(name);
        }
        return found;
    }

    /** Whether the graph runs quantized operators. */
    public boolean int8() {
        return !int8Operators().isEmpty();
    }

    /** Whether the graph's float weights are mostly fp16 (and it is not quantized). */
    public boolean float16() {
        return !int8() && initializers.getOrDefault("FLOAT16", 0) > initializers.getOrDefault("FLOAT", 0);
    }
}
