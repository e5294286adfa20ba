package dev.onyx.onnx.internal;

import com.google.protobuf.ByteString;
import dev.onyx.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TypeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the weight-bearing matrix products of an fp32 graph to ONNX Runtime's int8 CPU kernels, with activations
 * quantized by a {@code QuantizeLinear} of a static (calibrated) scale: {@code MatMul(x, W)} with a constant 2-D
 * {@code W} becomes {@code com.microsoft.MatMulIntegerToFloat(QuantizeLinear(x), W_int8, …)} (a following bias
 * {@code Add} is folded in), and {@code com.microsoft.Attention} with a constant packed QKV weight becomes
 * {@code com.microsoft.QAttention} (its internal QKᵀ and softmax stay fp32). Weights are symmetric int8 per output
 * column, activations asymmetric uint8 (the u8·s8 product is the fast path of ONNX Runtime's MLAS kernels). Stateless,
 * so thread-safe.
 *
 * <p>Why one class of ~450 lines: the two rewrites (MatMul and Attention) share the site bookkeeping, the initializer
 * emission and the bias folding, and each is a straight sequence of node edits that reads best top to bottom; the
 * arithmetic already lives in {@code Int8Math}. Split it (one class per rewritten operator) when a third rewrite comes.
 */
public final class Int8Rewrite {
    static final String MS_DOMAIN = "com.microsoft";
    private static final String PREFIX = "onyx_q/";

    private Int8Rewrite() {}

    /** A node the rewrite can quantize, and the activation it reads. */
    public record Site(String node, String op, String activation) {}

    /** The rewritten model and what was done; the lists name nodes. */
    public record Result(ModelProto model, List<String> quantized, List<String> keptFp32, List<String> declined) {}

    /** The quantizable nodes of {@code graph}, in graph order. */
    public static List<Site> sites(GraphProto graph) {
        Map<String, TensorProto> constants = constants(graph);
        List<Site> sites = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            if (weightOf(node, constants) != null) {
                sites.add(new Site(node.getName(), node.getOpType(), node.getInput(0)));
            }
        }
        return sites;
    }

    /** A copy of {@code model} that also outputs every site's activation (fp32), for calibration. */
    public static ModelProto withActivationOutputs(ModelProto model) {
        GraphProto graph = model.getGraph();
        Set<String> outputs = new HashSet<>();
        graph.getOutputList().forEach(o -> outputs.add(o.getName()));
        GraphProto.Builder out = graph.toBuilder();
        for (Site site : sites(graph)) {
            if (outputs.add(site.activation())) {
                out.addOutput(ValueInfoProto.newBuilder()
                        .setName(site.activation())
                        .setType(TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return model.toBuilder().setGraph(out).build();
    }

    /**
     * Quantizes every site whose activation has a range in {@code ranges} ({@code {min, max}}) and whose node is not
     * in {@code keepFp32}; {@code weightLimit} is the largest int8 weight magnitude (127, or 63 for kernels that
     * would saturate 16-bit pair sums).
     */
    public static Result quantize(
            ModelProto model, Map<String, float[]> ranges, Set<String> keepFp32, int weightLimit) {
        return quantize(model, ranges, Map.of(), 0, keepFp32, weightLimit);
    }

    /**
     * As {@link #quantize(ModelProto, Map, Set, int)}, smoothing each activation that has per-channel ranges in
     * {@code channelRanges} ({@code {min[], max[]}} over its last axis) when {@code alpha > 0}: channel k is divided by
     * s_k = max|x_k|^alpha / max|W_k|^(1-alpha) (a {@code Mul} before its {@code QuantizeLinear}) and the weight's row k
     * multiplied by s_k, which moves outlier channels' range into the per-column weight scales (SmoothQuant, Xiao et
     * al. 2023). The smoothed activation is quantized to its exact min-max range.
     */
    public static Result quantize(
            ModelProto model,
            Map<String, float[]> ranges,
            Map<String, float[][]> channelRanges,
            double alpha,
            Set<String> keepFp32,
            int weightLimit) {
        return new Pass(model.getGraph(), ranges, keepFp32, weightLimit)
                .smoothing(channelRanges, alpha)
                .run(model);
    }

    private static final class Pass {
        private final GraphProto graph;
        private final Map<String, float[]> ranges;
        private final Set<String> keepFp32;
        private final int weightLimit;
        private final Map<String, TensorProto> constants;
        private final Map<String, List<NodeProto>> consumers = new HashMap<>();
        private final Set<String> graphOutputs = new HashSet<>();
        private final Set<String> names = new HashSet<>();
        private final Map<String, String[]> quantizedActivations = new LinkedHashMap<>();
        private final List<TensorProto> newInitializers = new ArrayList<>();
        private final Set<NodeProto> folded = new HashSet<>();
        private final List<String> quantized = new ArrayList<>();
        private final List<String> kept = new ArrayList<>();
        private final List<String> declined = new ArrayList<>();
        private final Map<String, float[]> smooth = new HashMap<>();

        Pass(GraphProto graph, Map<String, float[]> ranges, Set<String> keepFp32, int weightLimit) {
            this.graph = graph;
            this.ranges = ranges;
            this.keepFp32 = keepFp32;
            this.weightLimit = weightLimit;
            this.constants = constants(graph);
            for (NodeProto node : graph.getNodeList()) {
                for (String input : node.getInputList()) {
                    consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
                }
                names.addAll(node.getOutputList());
                names.add(node.getName());
            }
            graph.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
            graph.getInputList().forEach(i -> names.add(i.getName()));
            graph.getInitializerList().forEach(t -> names.add(t.getName()));
        }

        /** Computes s per smoothed activation from its channel ranges and every quantized reader's weight rows. */
        Pass smoothing(Map<String, float[][]> channelRanges, double alpha) {
            this.channelRanges = channelRanges;
            if (alpha <= 0) return this;
            Map<String, float[]> weightRowMax = new HashMap<>();
            for (NodeProto node : graph.getNodeList()) {
                TensorProto weight = weightOf(node, constants);
                if (weight == null || keepFp32.contains(node.getName())) continue;
                float[][] channels = channelRanges.get(node.getInput(0));
                int rows = (int) weight.getDims(0);
                int cols = (int) weight.getDims(1);
                if (channels == null || channels[0].length != rows) continue;
                float[] w = floats(weight);
                float[] rowMax = weightRowMax.computeIfAbsent(node.getInput(0), k -> new float[rows]);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) rowMax[r] = Math.max(rowMax[r], Math.abs(w[r * cols + c]));
                }
            }
            for (Map.Entry<String, float[]> e : weightRowMax.entrySet()) {
                float[][] channels = channelRanges.get(e.getKey());
                float[] factors = new float[e.getValue().length];
                for (int k = 0; k < factors.length; k++) {
                    double x = Math.max(Math.abs(channels[0][k]), Math.abs(channels[1][k]));
                    double w = e.getValue()[k];
                    double f = x > 0 && w > 0 ? Math.pow(x, alpha) / Math.pow(w, 1 - alpha) : 1;
                    factors[k] = (float) Math.max(1e-4, Math.min(1e4, Double.isFinite(f) ? f : 1));
                }
                smooth.put(e.getKey(), factors);
            }
            return this;
        }

        /** The activation's weight rows scaled by its smoothing factors (a copy), or the weight as it is. */
        private float[] smoothedWeight(String activation, TensorProto weight) {
            float[] w = floats(weight);
            float[] factors = smooth.get(activation);
            if (factors == null) return w;
            int cols = (int) weight.getDims(1);
            for (int r = 0; r < factors.length; r++) {
                for (int c = 0; c < cols; c++) w[r * cols + c] *= factors[r];
            }
            return w;
        }

        /** The smoothed activation's exact range: per-channel ranges divided by the factors. */
        private float[] smoothedRange(float[][] channels, float[] factors) {
            float lo = 0;
            float hi = 0;
            for (int k = 0; k < factors.length; k++) {
                lo = Math.min(lo, channels[0][k] / factors[k]);
                hi = Math.max(hi, channels[1][k] / factors[k]);
            }
            return new float[] {lo, hi};
        }

        private Map<String, float[][]> channelRanges = Map.of();

        Result run(ModelProto model) {
            List<NodeProto> nodes = new ArrayList<>();
            Map<NodeProto, List<NodeProto>> replacement = new HashMap<>();
            for (NodeProto node : graph.getNodeList()) {
                TensorProto weight = weightOf(node, constants);
                if (weight == null) continue;
                if (keepFp32.contains(node.getName())) {
                    kept.add(node.getName());
                    continue;
                }
                float[] range = ranges.get(node.getInput(0));
                if (range == null) {
                    declined.add(node.getName() + " (no calibration range for " + node.getInput(0) + ")");
                    continue;
                }
                List<NodeProto> emitted = node.getOpType().equals("MatMul")
                        ? matMul(node, weight, range)
                        : attention(node, weight, range);
                if (emitted != null) {
                    replacement.put(node, emitted);
                    quantized.add(node.getName());
                }
            }
            for (NodeProto node : graph.getNodeList()) {
                if (folded.contains(node)) continue;
                nodes.addAll(replacement.getOrDefault(node, List.of(node)));
            }
            Set<String> used = new HashSet<>();
            nodes.forEach(n -> used.addAll(n.getInputList()));
            graph.getOutputList().forEach(o -> used.add(o.getName()));
            GraphProto.Builder out =
                    graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
            for (TensorProto t : graph.getInitializerList()) if (used.contains(t.getName())) out.addInitializer(t);
            out.addAllInitializer(newInitializers);
            ModelProto.Builder result = model.toBuilder().setGraph(out);
            if (model.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(MS_DOMAIN))) {
                result.addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
            }
            return new Result(result.build(), quantized, kept, declined);
        }

        /** QuantizeLinear(x) once per activation; returns {quantized value, scale name, zero point name}. */
        private String[] quantizeActivation(String activation, float[] range, List<NodeProto> emit) {
            String[] known = quantizedActivations.get(activation);
            if (known != null) return known;
            String base = fresh(activation);
            String input = activation;
            float[] factors = smooth.get(activation);
            if (factors != null) {
                float[] inverse = new float[factors.length];
                for (int k = 0; k < factors.length; k++) inverse[k] = 1f / factors[k];
                String divisor = fresh(base + "_smoothing");
                input = fresh(base + "_smoothed");
                newInitializers.add(floatTensor(divisor, inverse, inverse.length));
                emit.add(NodeProto.newBuilder()
                        .setName(fresh(base + "_Smooth"))
                        .setOpType("Mul")
                        .addInput(activation)
                        .addInput(divisor)
                        .addOutput(input)
                        .build());
                range = smoothedRange(channelRanges.get(activation), factors);
            }
            float[] params = Int8Math.uint8Params(range[0], range[1]);
            String scale = fresh(base + "_scale");
            String zeroPoint = fresh(base + "_zero_point");
            String value = fresh(base + "_quantized");
            newInitializers.add(floatTensor(scale, new float[] {params[0]}));
            newInitializers.add(byteTensor(zeroPoint, new byte[] {(byte) (int) params[1]}, TensorProto.DataType.UINT8));
            emit.add(NodeProto.newBuilder()
                    .setName(fresh(base + "_QuantizeLinear"))
                    .setOpType("QuantizeLinear")
                    .addInput(input)
                    .addInput(scale)
                    .addInput(zeroPoint)
                    .addOutput(value)
                    .build());
            String[] names = {value, scale, zeroPoint};
            quantizedActivations.put(activation, names);
            return names;
        }

        private List<NodeProto> matMul(NodeProto node, TensorProto weight, float[] range) {
            int rows = (int) weight.getDims(0);
            int cols = (int) weight.getDims(1);
            float[] w = smoothedWeight(node.getInput(0), weight);
            List<NodeProto> emit = new ArrayList<>();
            String[] a = quantizeActivation(node.getInput(0), range, emit);
            Int8Math.ChannelWeights q = Int8Math.perColumn(w, rows, cols, weightLimit);
            String weightName = fresh(node.getInput(1) + "_int8");
            String scaleName = fresh(node.getInput(1) + "_scale");
            newInitializers.add(byteTensor(weightName, q.values(), TensorProto.DataType.INT8, rows, cols));
            newInitializers.add(floatTensor(scaleName, q.scales(), cols));
            NodeProto.Builder mm = NodeProto.newBuilder()
                    .setName(fresh(node.getName() + "_int8"))
                    .setOpType("MatMulIntegerToFloat")
                    .setDomain(MS_DOMAIN)
                    .addInput(a[0])
                    .addInput(weightName)
                    .addInput(a[1])
                    .addInput(scaleName)
                    .addInput(a[2])
                    .addInput("");
            NodeProto biasAdd = biasAdd(node, cols);
            if (biasAdd != null) {
                String bias = constants.containsKey(biasAdd.getInput(0)) ? biasAdd.getInput(0) : biasAdd.getInput(1);
                mm.addInput(bias).addOutput(biasAdd.getOutput(0));
                folded.add(biasAdd);
            } else {
                mm.addOutput(node.getOutput(0));
            }
            emit.add(mm.build());
            return emit;
        }

        /** The sole reader of {@code node}'s output when it is an Add of a constant 1-D bias of {@code cols} values. */
        private NodeProto biasAdd(NodeProto node, int cols) {
            String out = node.getOutput(0);
            List<NodeProto> readers = consumers.getOrDefault(out, List.of());
            if (readers.size() != 1 || graphOutputs.contains(out)) return null;
            NodeProto add = readers.get(0);
            if (!add.getOpType().equals("Add") || !add.getDomain().isEmpty() || add.getInputCount() != 2) return null;
            String other = add.getInput(0).equals(out) ? add.getInput(1) : add.getInput(0);
            TensorProto bias = constants.get(other);
            if (bias == null
                    || bias.getDataType() != TensorProto.DataType.FLOAT_VALUE
                    || bias.getDimsCount() != 1
                    || bias.getDims(0) != cols) {
                return null;
            }
            return add;
        }

        private List<NodeProto> attention(NodeProto node, TensorProto weight, float[] range) {
            int rows = (int) weight.getDims(0);
            int cols = (int) weight.getDims(1);
            long heads = intAttr(node, "num_heads", 0);
            double headSize = cols / 3.0 / Math.max(1, heads);
            float scale = floatAttr(node, "scale", 0f);
            // QAttention scales QKᵀ by 1/sqrt(head size) and takes no other scale
            if (scale != 0f && Math.abs(scale * Math.sqrt(headSize) - 1) > 1e-6) {
                declined.add(node.getName() + " (attention scale " + scale + " is not 1/sqrt(head size))");
                return null;
            }
            for (AttributeProto a : node.getAttributeList()) {
                if (!List.of("num_heads", "scale", "mask_filter_value", "unidirectional")
                        .contains(a.getName())) {
                    declined.add(node.getName() + " (attribute " + a.getName() + " has no QAttention equivalent)");
                    return null;
                }
            }
            if (node.getInputCount() < 3 || node.getInputCount() > 4 || node.getOutputCount() != 1) {
                declined.add(node.getName() + " (past state or extra inputs/outputs)");
                return null;
            }
            List<NodeProto> emit = new ArrayList<>();
            String[] a = quantizeActivation(node.getInput(0), range, emit);
            Int8Math.ChannelWeights q =
                    Int8Math.perColumn(smoothedWeight(node.getInput(0), weight), rows, cols, weightLimit);
            String weightName = fresh(node.getInput(1) + "_int8");
            String scaleName = fresh(node.getInput(1) + "_scale");
            newInitializers.add(byteTensor(weightName, q.values(), TensorProto.DataType.INT8, rows, cols));
            newInitializers.add(floatTensor(scaleName, q.scales(), cols));
            NodeProto.Builder qa = NodeProto.newBuilder()
                    .setName(fresh(node.getName() + "_int8"))
                    .setOpType("QAttention")
                    .setDomain(MS_DOMAIN)
                    .addInput(a[0])
                    .addInput(weightName)
                    .addInput(node.getInput(2))
                    .addInput(a[1])
                    .addInput(scaleName)
                    .addInput(node.getInputCount() > 3 ? node.getInput(3) : "")
                    .addInput(a[2])
                    .addOutput(node.getOutput(0));
            for (AttributeProto attr : node.getAttributeList()) {
                if (attr.getName().equals("num_heads") || attr.getName().equals("unidirectional")) {
                    qa.addAttribute(attr);
                }
            }
            emit.add(qa.build());
            return emit;
        }

        private String fresh(String base) {
            String name = base.startsWith(PREFIX) ? base : PREFIX + base;
            String candidate = name;
            for (int i = 1; names.contains(candidate); i++) candidate = name + "_" + i;
            names.add(candidate);
            return candidate;
        }
    }

    /** Non-input initializers by name. */
    private static Map<String, TensorProto> constants(GraphProto graph) {
        Set<String> inputs = new HashSet<>();
        graph.getInputList().forEach(i -> inputs.add(i.getName()));
        Map<String, TensorProto> out = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) if (!inputs.contains(t.getName())) out.put(t.getName(), t);
        return out;
    }

    /** The constant fp32 2-D weight a MatMul or fused Attention multiplies by, or null when the node has none. */
    private static TensorProto weightOf(NodeProto node, Map<String, TensorProto> constants) {
        boolean matMul = node.getOpType().equals("MatMul") && node.getDomain().isEmpty();
        boolean attention =
                node.getOpType().equals("Attention") && node.getDomain().equals(MS_DOMAIN);
        if ((!matMul && !attention) || node.getInputCount() < 2) return null;
        TensorProto w = constants.get(node.getInput(1));
        if (w == null || w.getDataType() != TensorProto.DataType.FLOAT_VALUE || w.getDimsCount() != 2) return null;
        if (attention && (node.getInputCount() < 3 || !constants.containsKey(node.getInput(2)))) return null;
        return w;
    }

    static float[] floats(TensorProto t) {
        if (t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[raw.remaining() / Float.BYTES];
            raw.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) out[i] = t.getFloatData(i);
        return out;
    }

    private static TensorProto floatTensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    private static TensorProto byteTensor(String name, byte[] values, TensorProto.DataType type, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(values));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    private static long intAttr(NodeProto node, String name, long fallback) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getI();
        return fallback;
    }

    private static float floatAttr(NodeProto node, String name, float fallback) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getF();
        return fallback;
    }
}
