package dev.onyx.onnx.internal;

import static dev.onyx.onnx.internal.GraphIndex.isOp;
import static dev.onyx.onnx.internal.GraphIndex.other;

import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Finds {@code LayerNorm(Add(Add(bias, MatMul(..)), skip))}, with the LayerNorm either one {@code LayerNormalization}
 * or PyTorch's decomposed form (ReduceMean, Sub, Pow, ReduceMean, Add ε, Sqrt, Div, Mul γ, Add β), and replaces each
 * with one {@code com.microsoft.SkipLayerNormalization}. One per graph; not thread-safe.
 */
final class LayerNormMatcher {
    private final GraphIndex index;

    private LayerNormMatcher(GraphProto graph) {
        this.index = new GraphIndex(graph);
    }

    /** The graph with every matching group fused; the graph itself when none matched. */
    static GraphProto fuse(GraphProto graph) {
        return new LayerNormMatcher(graph).fuseAll();
    }

    private GraphProto fuseAll() {
        for (NodeProto node : index.nodes()) {
            if (isOp(node, "LayerNormalization")) {
                matchLayerNormOp(node);
            } else if (isOp(node, "ReduceMean")) {
                matchDecomposed(node);
            }
        }
        return index.emit(List.of());
    }

    private void matchLayerNormOp(NodeProto ln) {
        if (ln.getInputCount() != 3 || ProtoValues.intAttr(ln, "axis", -1) != -1 || ln.getOutputCount() > 1) return;
        float[] gamma = index.constFloats(ln.getInput(1));
        float[] beta = index.constFloats(ln.getInput(2));
        if (gamma == null || beta == null) return;
        float epsilon = ProtoValues.floatAttr(ln, "epsilon", 1e-5f);
        skipLayerNorm(ln.getInput(0), List.of(ln), ln, ln.getInput(1), ln.getInput(2), gamma.length, epsilon);
    }

    private void matchDecomposed(NodeProto mean) {
        if (!reducesLastAxis(mean)) return;
        NodeProto residual = index.producerOf(mean.getInput(0), "Add");
        if (residual == null) return;
        NodeProto sub = index.only(residual.getOutput(0), "Sub");
        if (sub == null
                || !sub.getInput(0).equals(residual.getOutput(0))
                || !sub.getInput(1).equals(mean.getOutput(0))) {
            return;
        }
        NodeProto pow = index.only(sub.getOutput(0), "Pow");
        Float two = pow == null ? null : index.constScalar(pow.getInput(1));
        if (two == null || two != 2f) return;
        NodeProto variance = index.soleConsumer(pow.getOutput(0), "ReduceMean");
        if (variance == null || !reducesLastAxis(variance)) return;
        NodeProto addEps = index.soleConsumer(variance.getOutput(0), "Add");
        Float epsilon = addEps == null ? null : index.constScalar(other(addEps, variance.getOutput(0)));
        NodeProto sqrt = addEps == null ? null : index.soleConsumer(addEps.getOutput(0), "Sqrt");
        NodeProto div = sqrt == null ? null : index.soleConsumer(sqrt.getOutput(0), "Div");
        if (epsilon == null || div == null || !div.getInput(0).equals(sub.getOutput(0))) return;
        if (index.consumers(sub.getOutput(0)).size() != 2) return;
        NodeProto mulGamma = index.soleConsumer(div.getOutput(0), "Mul");
        String gamma = mulGamma == null ? null : other(mulGamma, div.getOutput(0));
        NodeProto addBeta = mulGamma == null ? null : index.soleConsumer(mulGamma.getOutput(0), "Add");
        String beta = addBeta == null ? null : other(addBeta, mulGamma.getOutput(0));
        float[] g = gamma == null ? null : index.constFloats(gamma);
        float[] b = beta == null ? null : index.constFloats(beta);
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
        NodeProto residual = index.producerOf(residualSum, "Add");
        if (residual == null) return;
        Set<NodeProto> readers = Collections.newSetFromMap(new IdentityHashMap<>());
        readers.addAll(index.consumers(residualSum));
        if (!parts.containsAll(readers)) return;
        for (int i = 0; i < 2; i++) {
            NodeProto biasAdd = index.producerOf(residual.getInput(i), "Add");
            if (biasAdd == null || !index.onlyConsumer(biasAdd.getOutput(0), residual)) continue;
            for (int j = 0; j < 2; j++) {
                NodeProto matMul = index.producerOf(biasAdd.getInput(1 - j), "MatMul");
                float[] bias = index.constFloats(biasAdd.getInput(j));
                if (matMul == null || bias == null || bias.length != hidden) continue;
                NodeProto fused = NodeProto.newBuilder()
                        .setName(index.fresh("SkipLayerNormalization_" + index.nextId()))
                        .setOpType("SkipLayerNormalization")
                        .setDomain(GraphIndex.MS_DOMAIN)
                        .addInput(matMul.getOutput(0))
                        .addInput(residual.getInput(1 - i))
                        .addInput(gamma)
                        .addInput(beta)
                        .addInput(biasAdd.getInput(j))
                        .addOutput(last.getOutput(0))
                        .addAttribute(ProtoValues.floatAttribute("epsilon", epsilon))
                        .build();
                index.remove(parts);
                index.remove(List.of(residual, biasAdd));
                index.replace(last, fused);
                return;
            }
        }
    }

    private boolean reducesLastAxis(NodeProto reduce) {
        if (ProtoValues.intAttr(reduce, "keepdims", 1) == 0) return false;
        long[] axes = reduce.getInputCount() > 1 ? index.constLongs(reduce.getInput(1)) : null;
        if (axes == null) axes = ProtoValues.intsAttr(reduce, "axes");
        return axes != null && axes.length == 1 && axes[0] == -1;
    }
}
