package dev.onyx.onnx.internal;

import static dev.onyx.onnx.internal.GraphIndex.isOp;

import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Finds the self-attention subgraphs of a PyTorch BERT export (three projections, reshapes, transposes, scaled {@code
 * QKᵀ}, additive mask, softmax, {@code ·V}) and replaces each with one {@code com.microsoft.Attention} over a packed
 * QKV weight; all blocks share one {@code Cast} of the 2-D mask input to int32. One per graph; not thread-safe.
 */
final class AttentionMatcher {
    private final GraphIndex index;
    private NodeProto maskCast;
    private String maskSource;

    private AttentionMatcher(GraphProto graph) {
        this.index = new GraphIndex(graph);
    }

    /** The graph with every matching block fused; the graph itself when none matched. */
    static GraphProto fuse(GraphProto graph) {
        return new AttentionMatcher(graph).fuseAll();
    }

    private GraphProto fuseAll() {
        for (NodeProto softmax : index.nodes()) {
            if (isOp(softmax, "Softmax")) match(softmax);
        }
        return index.emit(maskCast == null ? List.of() : List.of(maskCast));
    }

    private record Linear(
            String input, NodeProto matMul, NodeProto add, float[] weight, int rows, int cols, float[] bias) {}

    private void match(NodeProto softmax) {
        if (!lastAxis(softmax, 4)) return;
        NodeProto maskAdd = index.producerOf(softmax.getInput(0), "Add");
        if (maskAdd == null || !index.onlyConsumer(maskAdd.getOutput(0), softmax)) return;
        for (int side = 0; side < 2; side++) {
            NodeProto scaled = index.producer(maskAdd.getInput(side));
            if (scaled != null && match(softmax, maskAdd, scaled, maskAdd.getInput(1 - side))) return;
        }
    }

    private boolean match(NodeProto softmax, NodeProto maskAdd, NodeProto scaled, String maskValue) {
        Float scale = null;
        NodeProto qk = null;
        if (isOp(scaled, "Div") && index.producerOf(scaled.getInput(0), "MatMul") != null) {
            Float divisor = index.constScalar(scaled.getInput(1));
            if (divisor != null && divisor != 0f) scale = 1f / divisor;
            qk = index.producer(scaled.getInput(0));
        } else if (isOp(scaled, "Mul")) {
            for (int i = 0; i < 2 && qk == null; i++) {
                NodeProto mm = index.producerOf(scaled.getInput(i), "MatMul");
                Float factor = index.constScalar(scaled.getInput(1 - i));
                if (mm != null && factor != null) {
                    qk = mm;
                    scale = factor;
                }
            }
        }
        if (qk == null || scale == null || !index.onlyConsumer(scaled.getOutput(0), maskAdd)) return false;
        if (!index.onlyConsumer(qk.getOutput(0), scaled) || !index.onlyConsumer(softmax.getOutput(0), null)) {
            return false;
        }
        Float maskFilter = maskFilterValue(maskValue);
        if (maskFilter == null) return false;

        NodeProto qTranspose = index.transpose(qk.getInput(0), 0, 2, 1, 3);
        NodeProto kTranspose = index.transpose(qk.getInput(1), 0, 2, 3, 1);
        NodeProto probsV = index.consumers(softmax.getOutput(0)).get(0);
        if (qTranspose == null || kTranspose == null || !isOp(probsV, "MatMul")) return false;
        if (!probsV.getInput(0).equals(softmax.getOutput(0))) return false;
        NodeProto vTranspose = index.transpose(probsV.getInput(1), 0, 2, 1, 3);
        NodeProto qReshape = index.producerOf(qTranspose.getInput(0), "Reshape");
        NodeProto kReshape = index.producerOf(kTranspose.getInput(0), "Reshape");
        NodeProto vReshape = vTranspose == null ? null : index.producerOf(vTranspose.getInput(0), "Reshape");
        if (qReshape == null || kReshape == null || vReshape == null) return false;
        Linear q = linear(qReshape.getInput(0));
        Linear k = linear(kReshape.getInput(0));
        Linear v = linear(vReshape.getInput(0));
        if (q == null || k == null || v == null) return false;
        if (!q.input().equals(k.input()) || !q.input().equals(v.input())) return false;
        if (q.rows() != k.rows() || q.rows() != v.rows() || q.cols() != k.cols() || q.cols() != v.cols()) {
            return false;
        }
        long[] heads = headsAndSize(qReshape);
        if (heads == null || heads[0] * heads[1] != q.cols()) return false;
        if (!Arrays.equals(heads, headsAndSize(kReshape)) || !Arrays.equals(heads, headsAndSize(vReshape))) {
            return false;
        }
        List<NodeProto> afterV = index.consumers(probsV.getOutput(0));
        if (afterV.size() != 1) return false;
        NodeProto outTranspose = index.transposeNode(afterV.get(0), 0, 2, 1, 3);
        if (outTranspose == null) return false;
        NodeProto outReshape = index.consumers(outTranspose.getOutput(0)).stream()
                .filter(n -> isOp(n, "Reshape") && n.getInput(0).equals(outTranspose.getOutput(0)))
                .findFirst()
                .orElse(null);
        if (outReshape == null || !mergesLastTwo(outReshape)) return false;

        NodeProto attention = attention(q, k, v, heads[0], scale, maskFilter, outReshape.getOutput(0));
        index.remove(List.of(softmax, maskAdd, scaled, qk, qTranspose, kTranspose, probsV, vTranspose));
        index.remove(List.of(qReshape, kReshape, vReshape, outTranspose, outReshape));
        for (Linear l : List.of(q, k, v)) index.remove(List.of(l.matMul(), l.add()));
        index.replace(outReshape, attention);
        return true;
    }

    /** The fused node, with its packed weight [in, 3·hidden] and bias [3·hidden] added as initializers. */
    private NodeProto attention(
            Linear q, Linear k, Linear v, long heads, float scale, float maskFilter, String output) {
        int hidden = q.cols();
        String id = String.valueOf(index.nextId());
        String weightName = index.fresh("qkv_weight_" + id);
        String biasName = index.fresh("qkv_bias_" + id);
        float[] weight = new float[q.rows() * 3 * hidden];
        for (int r = 0; r < q.rows(); r++) {
            System.arraycopy(q.weight(), r * hidden, weight, r * 3 * hidden, hidden);
            System.arraycopy(k.weight(), r * hidden, weight, r * 3 * hidden + hidden, hidden);
            System.arraycopy(v.weight(), r * hidden, weight, r * 3 * hidden + 2 * hidden, hidden);
        }
        float[] bias = new float[3 * hidden];
        System.arraycopy(q.bias(), 0, bias, 0, hidden);
        System.arraycopy(k.bias(), 0, bias, hidden, hidden);
        System.arraycopy(v.bias(), 0, bias, 2 * hidden, hidden);
        index.addInitializer(ProtoValues.floatTensor(weightName, weight, q.rows(), 3L * hidden));
        index.addInitializer(ProtoValues.floatTensor(biasName, bias, 3L * hidden));
        return NodeProto.newBuilder()
                .setName(index.fresh("Attention_" + id))
                .setOpType("Attention")
                .setDomain(GraphIndex.MS_DOMAIN)
                .addInput(q.input())
                .addInput(weightName)
                .addInput(biasName)
                .addInput(maskCast().getOutput(0))
                .addOutput(output)
                .addAttribute(ProtoValues.intAttribute("num_heads", heads))
                .addAttribute(ProtoValues.floatAttribute("scale", scale))
                .addAttribute(ProtoValues.floatAttribute("mask_filter_value", maskFilter))
                .build();
    }

    /** {@code Add(bias, MatMul(x, W))} with constant W [in, out] and bias [out]. */
    private Linear linear(String value) {
        NodeProto add = index.producerOf(value, "Add");
        if (add == null) return null;
        for (int i = 0; i < 2; i++) {
            NodeProto matMul = index.producerOf(add.getInput(1 - i), "MatMul");
            float[] bias = index.constFloats(add.getInput(i));
            if (matMul == null || bias == null || !index.onlyConsumer(matMul.getOutput(0), add)) continue;
            TensorProto w = index.initializer(matMul.getInput(1));
            float[] weight = w == null ? null : ProtoValues.floats(w);
            if (weight == null || w.getDimsCount() != 2 || w.getDims(1) != bias.length) continue;
            return new Linear(matMul.getInput(0), matMul, add, weight, (int) w.getDims(0), (int) w.getDims(1), bias);
        }
        return null;
    }

    /** The reshape to [batch, seq, heads, headSize]: its last two sizes, constant; null otherwise. */
    private long[] headsAndSize(NodeProto reshape) {
        String shape = reshape.getInput(1);
        long[] constant = index.constLongs(shape);
        if (constant != null) {
            return constant.length == 4 && constant[2] > 0 && constant[3] > 0
                    ? new long[] {constant[2], constant[3]}
                    : null;
        }
        NodeProto concat = index.producerOf(shape, "Concat");
        if (concat == null || concat.getInputCount() != 4) return null;
        long[] heads = index.constLongs(concat.getInput(2));
        long[] size = index.constLongs(concat.getInput(3));
        if (heads == null || size == null || heads.length != 1 || size.length != 1) return null;
        return heads[0] > 0 && size[0] > 0 ? new long[] {heads[0], size[0]} : null;
    }

    /** The reshape back to [batch, seq, hidden]: a 3-element shape whose last element is constant or inferred. */
    private boolean mergesLastTwo(NodeProto reshape) {
        long[] constant = index.constLongs(reshape.getInput(1));
        if (constant != null) return constant.length == 3;
        NodeProto concat = index.producerOf(reshape.getInput(1), "Concat");
        return concat != null && concat.getInputCount() == 3;
    }

    /** Softmax over the last axis of a rank-{@code rank} input, stated explicitly (defaults vary by opset). */
    private static boolean lastAxis(NodeProto softmax, int rank) {
        long axis = ProtoValues.intAttr(softmax, "axis", Long.MIN_VALUE);
        return axis == -1 || axis == rank - 1;
    }

    /**
     * The additive mask {@code (1 - float(unsqueeze(mask, 1, 2))) * c} over a 2-D graph input: returns c (the
     * Attention op's {@code mask_filter_value}); null when the value is anything else.
     */
    private Float maskFilterValue(String value) {
        NodeProto mul = index.producerOf(value, "Mul");
        if (mul == null) return null;
        for (int i = 0; i < 2; i++) {
            Float c = index.constScalar(mul.getInput(i));
            NodeProto sub = index.producerOf(mul.getInput(1 - i), "Sub");
            if (c == null || sub == null || c >= 0f) continue;
            Float one = index.constScalar(sub.getInput(0));
            if (one == null || one != 1f) continue;
            String source = maskSource(sub.getInput(1));
            if (source == null || (maskSource != null && !maskSource.equals(source))) continue;
            maskSource = source;
            return c;
        }
        return null;
    }

    /** Walks Unsqueeze/Cast back to a 2-D integer graph input, checking the result is [batch, 1, 1, seq] float. */
    private String maskSource(String value) {
        Deque<NodeProto> chain = new ArrayDeque<>();
        String current = value;
        while (!index.isGraphInput(current)) {
            NodeProto node = index.producer(current);
            if (node == null || !(isOp(node, "Unsqueeze") || isOp(node, "Cast")) || chain.size() > 4) return null;
            chain.push(node);
            current = node.getInput(0);
        }
        ValueInfoProto input = index.graphInput(current);
        if (input == null || input.getType().getTensorType().getShape().getDimCount() != 2) return null;
        int elem = input.getType().getTensorType().getElemType();
        if (elem != TensorProto.DataType.INT64_VALUE && elem != TensorProto.DataType.INT32_VALUE) return null;
        // replay the chain forwards on [batch, seq]: 0 = batch, 1 = seq, -1 = an inserted unit axis
        List<Integer> dims = new ArrayList<>(List.of(0, 1));
        boolean toFloat = false;
        for (NodeProto node : chain) {
            if (isOp(node, "Cast")) {
                toFloat = ProtoValues.intAttr(node, "to", -1) == TensorProto.DataType.FLOAT_VALUE;
                if (!toFloat) return null;
                continue;
            }
            long[] axes = unsqueezeAxes(node);
            if (axes == null) return null;
            int rank = dims.size() + axes.length;
            long[] sorted =
                    Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
            for (long axis : sorted) {
                if (axis < 0 || axis > dims.size()) return null;
                dims.add((int) axis, -1);
            }
        }
        return toFloat && dims.equals(List.of(0, -1, -1, 1)) ? input.getName() : null;
    }

    private long[] unsqueezeAxes(NodeProto node) {
        if (node.getInputCount() > 1) return index.constLongs(node.getInput(1));
        return ProtoValues.intsAttr(node, "axes");
    }

    private NodeProto maskCast() {
        if (maskCast == null) {
            maskCast = NodeProto.newBuilder()
                    .setName(index.fresh("mask_int32"))
                    .setOpType("Cast")
                    .addInput(maskSource)
                    .addOutput(index.fresh("mask_int32_output"))
                    .addAttribute(ProtoValues.intAttribute("to", TensorProto.DataType.INT32_VALUE))
                    .build();
        }
        return maskCast;
    }
}
