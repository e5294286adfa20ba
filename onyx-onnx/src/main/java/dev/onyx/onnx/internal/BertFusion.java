package dev.onyx.onnx.internal;

import com.google.protobuf.ByteString;
import dev.onyx.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the encoder blocks of a BERT-style graph, as PyTorch's ONNX exporter writes them, into ONNX Runtime's fused
 * contrib operators: each self-attention subgraph (three projections, reshapes, transposes, scaled {@code QKᵀ}, additive
 * mask, softmax, {@code ·V}) becomes one {@code com.microsoft.Attention} with a packed QKV weight, and each
 * {@code bias + residual + LayerNorm} (decomposed or {@code LayerNormalization}) becomes one
 * {@code com.microsoft.SkipLayerNormalization}. The math is unchanged; ONNX Runtime's own online optimizer does not
 * match these patterns in such exports.
 *
 * <p>Conservative: a block is rewritten only when every piece matches (constant weights of consistent shapes, a
 * {@code (1 - mask) · c} attention mask from a 2-D graph input, heads × head size = hidden size); the result is
 * checked to be a well-formed graph, else nothing is rewritten. Stateless entry point, so thread-safe.
 */
public final class BertFusion {
    private static final String MS_DOMAIN = "com.microsoft";
    private static final String PREFIX = "onyx_fused/";

    /** The rewritten model and what was rewritten; {@code model} is null when nothing was. */
    public record Result(ModelProto model, int attentionBlocks, int skipLayerNorms, String reason) {}

    private BertFusion() {}

    /** Fuses what matches; never throws on a model it does not understand (the result says why nothing was fused). */
    public static Result fuse(ModelProto model) {
        if (usesExternalData(model.getGraph())) {
            return new Result(null, 0, 0, "the model keeps tensors in external data files");
        }
        GraphProto afterAttention = new Pass(model.getGraph()).fuseAttention();
        int attention = countOps(afterAttention, "Attention");
        if (attention == 0) {
            return new Result(null, 0, 0, "no self-attention block of the BERT export pattern was found");
        }
        GraphProto fused = new Pass(afterAttention).fuseSkipLayerNorm();
        int skip = countOps(fused, "SkipLayerNormalization");
        String problem = wellFormed(fused);
        if (problem != null) {
            return new Result(null, 0, 0, "the rewritten graph would be invalid (" + problem + ")");
        }
        ModelProto.Builder out = model.toBuilder().setGraph(fused);
        if (model.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(MS_DOMAIN))) {
            out.addOpsetImport(
                    OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
        }
        return new Result(out.build(), attention, skip, "");
    }

    private static int countOps(GraphProto graph, String op) {
        return (int) graph.getNodeList().stream()
                .filter(n -> n.getDomain().equals(MS_DOMAIN) && n.getOpType().equals(op))
                .count();
    }

    // TensorProto fields 13 (external_data) and 14 (data_location) are not in Onyx's trimmed onnx.proto; protobuf
    // keeps them as unknown fields.
    private static boolean usesExternalData(GraphProto graph) {
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getUnknownFields().hasField(13) || t.getUnknownFields().hasField(14)) return true;
        }
        return false;
    }

    /** Null when every node input is a graph input, an initializer or an earlier node's output; else the problem. */
    private static String wellFormed(GraphProto graph) {
        Set<String> available = new HashSet<>();
        graph.getInputList().forEach(v -> available.add(v.getName()));
        graph.getInitializerList().forEach(t -> available.add(t.getName()));
        available.add("");
        for (NodeProto node : graph.getNodeList()) {
            for (String input : node.getInputList()) {
                if (!available.contains(input)) {
                    return "node " + node.getName() + " (" + node.getOpType() + ") reads '" + input
                            + "', which nothing produces before it";
                }
            }
            available.addAll(node.getOutputList());
        }
        for (ValueInfoProto output : graph.getOutputList()) {
            if (!available.contains(output.getName())) return "graph output '" + output.getName() + "' is not produced";
        }
        return null;
    }

    /** One rewrite over one graph: indexes it, collects replacements, then emits the new graph. */
    private static final class Pass {
        private final GraphProto graph;
        private final Map<String, NodeProto> producer = new HashMap<>();
        private final Map<String, List<NodeProto>> consumers = new HashMap<>();
        private final Map<String, TensorProto> initializers = new HashMap<>();
        private final Set<String> graphInputs = new HashSet<>();
        private final Set<String> names = new HashSet<>();
        private final Map<NodeProto, NodeProto> replaceAt = new IdentityHashMap<>();
        private final Set<NodeProto> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        private final List<TensorProto> newInitializers = new ArrayList<>();
        private NodeProto maskCast;
        private String maskSource;
        private int counter;

        Pass(GraphProto graph) {
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

        // ---- self-attention -------------------------------------------------------------------------------------

        GraphProto fuseAttention() {
            for (NodeProto softmax : graph.getNodeList()) {
                if (isOp(softmax, "Softmax")) matchAttention(softmax);
            }
            return emit();
        }

        private record Linear(
                String input, NodeProto matMul, NodeProto add, float[] weight, int rows, int cols, float[] bias) {}

        private void matchAttention(NodeProto softmax) {
            if (!lastAxis(softmax, 4)) return;
            NodeProto maskAdd = producerOf(softmax.getInput(0), "Add");
            if (maskAdd == null || !onlyConsumer(maskAdd.getOutput(0), softmax)) return;
            for (int side = 0; side < 2; side++) {
                NodeProto scaled = producer.get(maskAdd.getInput(side));
                if (scaled != null && matchAttention(softmax, maskAdd, scaled, maskAdd.getInput(1 - side))) return;
            }
        }

        private boolean matchAttention(NodeProto softmax, NodeProto maskAdd, NodeProto scaled, String maskValue) {
            Float scale = null;
            NodeProto qk = null;
            if (isOp(scaled, "Div") && producerOf(scaled.getInput(0), "MatMul") != null) {
                Float divisor = constScalar(scaled.getInput(1));
                if (divisor != null && divisor != 0f) scale = 1f / divisor;
                qk = producer.get(scaled.getInput(0));
            } else if (isOp(scaled, "Mul")) {
                for (int i = 0; i < 2 && qk == null; i++) {
                    NodeProto mm = producerOf(scaled.getInput(i), "MatMul");
                    Float factor = constScalar(scaled.getInput(1 - i));
                    if (mm != null && factor != null) {
                        qk = mm;
                        scale = factor;
                    }
                }
            }
            if (qk == null || scale == null || !onlyConsumer(scaled.getOutput(0), maskAdd)) return false;
            if (!onlyConsumer(qk.getOutput(0), scaled) || !onlyConsumer(softmax.getOutput(0), null)) return false;
            Float maskFilter = maskFilterValue(maskValue);
            if (maskFilter == null) return false;

            NodeProto qTranspose = transpose(qk.getInput(0), 0, 2, 1, 3);
            NodeProto kTranspose = transpose(qk.getInput(1), 0, 2, 3, 1);
            NodeProto probsV =
                    consumers.getOrDefault(softmax.getOutput(0), List.of()).get(0);
            if (qTranspose == null || kTranspose == null || !isOp(probsV, "MatMul")) return false;
            if (!probsV.getInput(0).equals(softmax.getOutput(0))) return false;
            NodeProto vTranspose = transpose(probsV.getInput(1), 0, 2, 1, 3);
            NodeProto qReshape = producerOf(qTranspose.getInput(0), "Reshape");
            NodeProto kReshape = producerOf(kTranspose.getInput(0), "Reshape");
            NodeProto vReshape = vTranspose == null ? null : producerOf(vTranspose.getInput(0), "Reshape");
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
            List<NodeProto> afterV = consumers.getOrDefault(probsV.getOutput(0), List.of());
            if (afterV.size() != 1) return false;
            NodeProto outTranspose = transposeNode(afterV.get(0), 0, 2, 1, 3);
            if (outTranspose == null) return false;
            NodeProto outReshape = consumers.getOrDefault(outTranspose.getOutput(0), List.of()).stream()
                    .filter(n -> isOp(n, "Reshape") && n.getInput(0).equals(outTranspose.getOutput(0)))
                    .findFirst()
                    .orElse(null);
            if (outReshape == null || !mergesLastTwo(outReshape)) return false;

            int hidden = q.cols();
            String id = String.valueOf(counter++);
            String weightName = fresh("qkv_weight_" + id);
            String biasName = fresh("qkv_bias_" + id);
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
            newInitializers.add(floatTensor(weightName, weight, q.rows(), 3L * hidden));
            newInitializers.add(floatTensor(biasName, bias, 3L * hidden));
            NodeProto attention = NodeProto.newBuilder()
                    .setName(fresh("Attention_" + id))
                    .setOpType("Attention")
                    .setDomain(MS_DOMAIN)
                    .addInput(q.input())
                    .addInput(weightName)
                    .addInput(biasName)
                    .addInput(maskCast().getOutput(0))
                    .addOutput(outReshape.getOutput(0))
                    .addAttribute(intAttribute("num_heads", heads[0]))
                    .addAttribute(floatAttribute("scale", scale))
                    .addAttribute(floatAttribute("mask_filter_value", maskFilter))
                    .build();
            removed.addAll(List.of(softmax, maskAdd, scaled, qk, qTranspose, kTranspose, probsV, vTranspose));
            removed.addAll(List.of(qReshape, kReshape, vReshape, outTranspose, outReshape));
            for (Linear l : List.of(q, k, v)) removed.addAll(List.of(l.matMul(), l.add()));
            replaceAt.put(outReshape, attention);
            return true;
        }

        /** {@code Add(bias, MatMul(x, W))} with constant W [in, out] and bias [out]. */
        private Linear linear(String value) {
            NodeProto add = producerOf(value, "Add");
            if (add == null) return null;
            for (int i = 0; i < 2; i++) {
                NodeProto matMul = producerOf(add.getInput(1 - i), "MatMul");
                float[] bias = constFloats(add.getInput(i));
                if (matMul == null || bias == null || !onlyConsumer(matMul.getOutput(0), add)) continue;
                TensorProto w = initializers.get(matMul.getInput(1));
                float[] weight = w == null ? null : floats(w);
                if (weight == null || w.getDimsCount() != 2 || w.getDims(1) != bias.length) continue;
                return new Linear(
                        matMul.getInput(0), matMul, add, weight, (int) w.getDims(0), (int) w.getDims(1), bias);
            }
            return null;
        }

        /** The reshape to [batch, seq, heads, headSize]: its last two sizes, constant; null otherwise. */
        private long[] headsAndSize(NodeProto reshape) {
            String shape = reshape.getInput(1);
            long[] constant = constLongs(shape);
            if (constant != null) {
                return constant.length == 4 && constant[2] > 0 && constant[3] > 0
                        ? new long[] {constant[2], constant[3]}
                        : null;
            }
            NodeProto concat = producerOf(shape, "Concat");
            if (concat == null || concat.getInputCount() != 4) return null;
            long[] heads = constLongs(concat.getInput(2));
            long[] size = constLongs(concat.getInput(3));
            if (heads == null || size == null || heads.length != 1 || size.length != 1) return null;
            return heads[0] > 0 && size[0] > 0 ? new long[] {heads[0], size[0]} : null;
        }

        /** The reshape back to [batch, seq, hidden]: a 3-element shape whose last element is constant or inferred. */
        private boolean mergesLastTwo(NodeProto reshape) {
            long[] constant = constLongs(reshape.getInput(1));
            if (constant != null) return constant.length == 3;
            NodeProto concat = producerOf(reshape.getInput(1), "Concat");
            return concat != null && concat.getInputCount() == 3;
        }

        /**
         * The additive mask {@code (1 - float(unsqueeze(mask, 1, 2))) * c} over a 2-D graph input: returns c (the
         * Attention op's {@code mask_filter_value}); null when the value is anything else.
         */
        private Float maskFilterValue(String value) {
            NodeProto mul = producerOf(value, "Mul");
            if (mul == null) return null;
            for (int i = 0; i < 2; i++) {
                Float c = constScalar(mul.getInput(i));
                NodeProto sub = producerOf(mul.getInput(1 - i), "Sub");
                if (c == null || sub == null || c >= 0f) continue;
                Float one = constScalar(sub.getInput(0));
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
            while (!graphInputs.contains(current)) {
                NodeProto node = producer.get(current);
                if (node == null || !(isOp(node, "Unsqueeze") || isOp(node, "Cast")) || chain.size() > 4) return null;
                chain.push(node);
                current = node.getInput(0);
            }
            String inputName = current;
            ValueInfoProto input = graph.getInputList().stream()
                    .filter(v -> v.getName().equals(inputName))
                    .findFirst()
                    .orElse(null);
            if (input == null || input.getType().getTensorType().getShape().getDimCount() != 2) return null;
            int elem = input.getType().getTensorType().getElemType();
            if (elem != TensorProto.DataType.INT64_VALUE && elem != TensorProto.DataType.INT32_VALUE) return null;
            // replay the chain forwards on [batch, seq]: 0 = batch, 1 = seq, -1 = an inserted unit axis
            List<Integer> dims = new ArrayList<>(List.of(0, 1));
            boolean toFloat = false;
            for (NodeProto node : chain) {
                if (isOp(node, "Cast")) {
                    toFloat = intAttr(node, "to", -1) == TensorProto.DataType.FLOAT_VALUE;
                    if (!toFloat) return null;
                    continue;
                }
                long[] axes = unsqueezeAxes(node);
                if (axes == null) return null;
                int rank = dims.size() + axes.length;
                long[] sorted = Arrays.stream(axes)
                        .map(a -> a < 0 ? a + rank : a)
                        .sorted()
                        .toArray();
                for (long axis : sorted) {
                    if (axis < 0 || axis > dims.size()) return null;
                    dims.add((int) axis, -1);
                }
            }
            return toFloat && dims.equals(List.of(0, -1, -1, 1)) ? input.getName() : null;
        }

        private long[] unsqueezeAxes(NodeProto node) {
            if (node.getInputCount() > 1) return constLongs(node.getInput(1));
            for (AttributeProto a : node.getAttributeList()) {
                if (a.getName().equals("axes"))
                    return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
            return null;
        }

        private NodeProto maskCast() {
            if (maskCast == null) {
                maskCast = NodeProto.newBuilder()
                        .setName(fresh("mask_int32"))
                        .setOpType("Cast")
                        .addInput(maskSource)
                        .addOutput(fresh("mask_int32_output"))
                        .addAttribute(intAttribute("to", TensorProto.DataType.INT32_VALUE))
                        .build();
            }
            return maskCast;
        }

        // ---- bias + residual + LayerNorm ------------------------------------------------------------------------

        GraphProto fuseSkipLayerNorm() {
            for (NodeProto node : graph.getNodeList()) {
                if (isOp(node, "LayerNormalization")) {
                    matchLayerNormOp(node);
                } else if (isOp(node, "ReduceMean")) {
                    matchDecomposedLayerNorm(node);
                }
            }
            return emit();
        }

        private void matchLayerNormOp(NodeProto ln) {
            if (ln.getInputCount() != 3 || intAttr(ln, "axis", -1) != -1 || ln.getOutputCount() > 1) return;
            float[] gamma = constFloats(ln.getInput(1));
            float[] beta = constFloats(ln.getInput(2));
            if (gamma == null || beta == null) return;
            float epsilon = floatAttr(ln, "epsilon", 1e-5f);
            skipLayerNorm(ln.getInput(0), List.of(ln), ln, ln.getInput(1), ln.getInput(2), gamma.length, epsilon);
        }

        private void matchDecomposedLayerNorm(NodeProto mean) {
            if (!reducesLastAxis(mean)) return;
            NodeProto residual = producerOf(mean.getInput(0), "Add");
            if (residual == null) return;
            NodeProto sub = only(residual.getOutput(0), "Sub");
            if (sub == null
                    || !sub.getInput(0).equals(residual.getOutput(0))
                    || !sub.getInput(1).equals(mean.getOutput(0))) {
                return;
            }
            NodeProto pow = only(sub.getOutput(0), "Pow");
            Float two = pow == null ? null : constScalar(pow.getInput(1));
            if (two == null || two != 2f) return;
            NodeProto variance = soleConsumer(pow.getOutput(0), "ReduceMean");
            if (variance == null || !reducesLastAxis(variance)) return;
            NodeProto addEps = soleConsumer(variance.getOutput(0), "Add");
            Float epsilon = addEps == null ? null : constScalar(other(addEps, variance.getOutput(0)));
            NodeProto sqrt = addEps == null ? null : soleConsumer(addEps.getOutput(0), "Sqrt");
            NodeProto div = sqrt == null ? null : soleConsumer(sqrt.getOutput(0), "Div");
            if (epsilon == null || div == null || !div.getInput(0).equals(sub.getOutput(0))) return;
            if (consumers.get(sub.getOutput(0)).size() != 2) return;
            NodeProto mulGamma = soleConsumer(div.getOutput(0), "Mul");
            String gamma = mulGamma == null ? null : other(mulGamma, div.getOutput(0));
            NodeProto addBeta = mulGamma == null ? null : soleConsumer(mulGamma.getOutput(0), "Add");
            String beta = addBeta == null ? null : other(addBeta, mulGamma.getOutput(0));
            float[] g = gamma == null ? null : constFloats(gamma);
            float[] b = beta == null ? null : constFloats(beta);
            if (g == null || b == null || g.length != b.length) return;
            List<NodeProto> parts = List.of(mean, sub, pow, variance, addEps, sqrt, div, mulGamma, addBeta);
            skipLayerNorm(mean.getInput(0), parts, addBeta, gamma, beta, g.length, epsilon);
        }

        /** {@code residualSum = Add(Add(bias, MatMul(..)), skip)} normalized by {@code parts}, ending in {@code last}. */
        private void skipLayerNorm(
                String residualSum,
                List<NodeProto> parts,
                NodeProto last,
                String gamma,
                String beta,
                int hidden,
                float epsilon) {
            NodeProto residual = producerOf(residualSum, "Add");
            if (residual == null) return;
            Set<NodeProto> readers = Collections.newSetFromMap(new IdentityHashMap<>());
            readers.addAll(consumers.get(residualSum));
            if (!parts.containsAll(readers)) return;
            for (int i = 0; i < 2; i++) {
                NodeProto biasAdd = producerOf(residual.getInput(i), "Add");
                if (biasAdd == null || !onlyConsumer(biasAdd.getOutput(0), residual)) continue;
                for (int j = 0; j < 2; j++) {
                    NodeProto matMul = producerOf(biasAdd.getInput(1 - j), "MatMul");
                    float[] bias = constFloats(biasAdd.getInput(j));
                    if (matMul == null || bias == null || bias.length != hidden) continue;
                    NodeProto fused = NodeProto.newBuilder()
                            .setName(fresh("SkipLayerNormalization_" + counter++))
                            .setOpType("SkipLayerNormalization")
                            .setDomain(MS_DOMAIN)
                            .addInput(matMul.getOutput(0))
                            .addInput(residual.getInput(1 - i))
                            .addInput(gamma)
                            .addInput(beta)
                            .addInput(biasAdd.getInput(j))
                            .addOutput(last.getOutput(0))
                            .addAttribute(floatAttribute("epsilon", epsilon))
                            .build();
                    removed.addAll(parts);
                    removed.add(residual);
                    removed.add(biasAdd);
                    replaceAt.put(last, fused);
                    return;
                }
            }
        }

        private boolean reducesLastAxis(NodeProto reduce) {
            if (intAttr(reduce, "keepdims", 1) == 0) return false;
            long[] axes = reduce.getInputCount() > 1 ? constLongs(reduce.getInput(1)) : null;
            if (axes == null) {
                for (AttributeProto a : reduce.getAttributeList()) {
                    if (a.getName().equals("axes"))
                        axes = a.getIntsList().stream()
                                .mapToLong(Long::longValue)
                                .toArray();
                }
            }
            return axes != null && axes.length == 1 && axes[0] == -1;
        }

        // ---- emitting ---------------------------------------------------------------------------------------------

        /** The graph with replacements in place, unreachable nodes and unused initializers dropped. */
        private GraphProto emit() {
            if (replaceAt.isEmpty()) return graph;
            List<NodeProto> nodes = new ArrayList<>();
            if (maskCast != null) nodes.add(maskCast);
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
            GraphProto.Builder out =
                    graph.toBuilder().clearNode().addAllNode(live).clearInitializer();
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

        // ---- small helpers -------------------------------------------------------------------------------------

        private String fresh(String base) {
            String name = PREFIX + base;
            for (int i = 1; names.contains(name); i++) name = PREFIX + base + "_" + i;
            names.add(name);
            return name;
        }

        private static boolean isOp(NodeProto node, String op) {
            return node != null
                    && node.getOpType().equals(op)
                    && node.getDomain().isEmpty();
        }

        private NodeProto producerOf(String value, String op) {
            NodeProto node = producer.get(value);
            return isOp(node, op) && !removed.contains(node) ? node : null;
        }

        /** True when {@code reader} is the only node reading {@code value} (any single reader when null). */
        private boolean onlyConsumer(String value, NodeProto reader) {
            List<NodeProto> readers = consumers.getOrDefault(value, List.of());
            return readers.size() == 1 && (reader == null || readers.get(0) == reader) && !graphOutput(value);
        }

        private boolean graphOutput(String value) {
            return graph.getOutputList().stream().anyMatch(v -> v.getName().equals(value));
        }

        private NodeProto soleConsumer(String value, String op) {
            List<NodeProto> readers = consumers.getOrDefault(value, List.of());
            return readers.size() == 1 && isOp(readers.get(0), op) && !graphOutput(value) ? readers.get(0) : null;
        }

        /** The single reader of {@code value} with this op type among possibly several readers. */
        private NodeProto only(String value, String op) {
            List<NodeProto> matching = consumers.getOrDefault(value, List.of()).stream()
                    .filter(n -> isOp(n, op))
                    .toList();
            return matching.size() == 1 && !graphOutput(value) ? matching.get(0) : null;
        }

        private static String other(NodeProto binary, String known) {
            if (binary.getInputCount() != 2) return null;
            if (binary.getInput(0).equals(known)) return binary.getInput(1);
            return binary.getInput(1).equals(known) ? binary.getInput(0) : null;
        }

        /** The Transpose producing {@code value} when its permutation is {@code perm}; null otherwise. */
        private NodeProto transpose(String value, long... perm) {
            return transposeNode(producer.get(value), perm);
        }

        private NodeProto transposeNode(NodeProto node, long... perm) {
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

        /** Softmax over the last axis of a rank-{@code rank} input, stated explicitly (defaults vary by opset). */
        private boolean lastAxis(NodeProto softmax, int rank) {
            long axis = intAttr(softmax, "axis", Long.MIN_VALUE);
            return axis == -1 || axis == rank - 1;
        }

        private TensorProto constant(String name) {
            TensorProto t = initializers.get(name);
            if (t != null) return t;
            NodeProto node = producer.get(name);
            if (isOp(node, "Constant")) {
                for (AttributeProto a : node.getAttributeList())
                    if (a.getName().equals("value") && a.hasT()) return a.getT();
            }
            return null;
        }

        private float[] constFloats(String name) {
            TensorProto t = constant(name);
            return t == null ? null : floats(t);
        }

        private Float constScalar(String name) {
            float[] values = constFloats(name);
            return values != null && values.length == 1 ? values[0] : null;
        }

        private long[] constLongs(String name) {
            TensorProto t = constant(name);
            return t == null ? null : longs(t);
        }
    }

    static float[] floats(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) return null;
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

    static long[] longs(TensorProto t) {
        if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
            if (t.hasRawData()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long[] out = new long[raw.remaining() / Long.BYTES];
                raw.asLongBuffer().get(out);
                return out;
            }
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        if (t.getDataType() == TensorProto.DataType.INT32_VALUE) {
            if (t.hasRawData()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                int[] ints = new int[raw.remaining() / Integer.BYTES];
                raw.asIntBuffer().get(ints);
                return Arrays.stream(ints).asLongStream().toArray();
            }
            return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
        }
        return null;
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

    private static AttributeProto intAttribute(String name, long value) {
        return attribute(name, AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttribute(String name, float value) {
        return attribute(name, AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto.Builder attribute(String name, AttributeProto.AttributeType type) {
        return AttributeProto.newBuilder().setName(name).setType(type);
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
