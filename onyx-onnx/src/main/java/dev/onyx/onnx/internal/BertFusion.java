package dev.onyx.onnx.internal;

import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites the encoder blocks of a BERT-style graph, as PyTorch's ONNX exporter writes them, into ONNX Runtime's fused
 * contrib operators: each self-attention subgraph becomes one {@code com.microsoft.Attention} ({@link
 * AttentionMatcher}) and each {@code bias + residual + LayerNorm} (decomposed or {@code LayerNormalization}) one
 * {@code com.microsoft.SkipLayerNormalization} ({@link LayerNormMatcher}); both work over a {@link GraphIndex}. The
 * math is unchanged; ONNX Runtime's own online optimizer does not match these patterns in such exports.
 *
 * <p>Conservative: a block is rewritten only when every piece matches (constant weights of consistent shapes, a
 * {@code (1 - mask) · c} attention mask from a 2-D graph input, heads × head size = hidden size); the result is
 * checked to be a well-formed graph, else nothing is rewritten. Stateless entry point, so thread-safe.
 */
public final class BertFusion {
    private static final String MS_DOMAIN = GraphIndex.MS_DOMAIN;

    /** The rewritten model and what was rewritten; {@code model} is null when nothing was. */
    public record Result(ModelProto model, int attentionBlocks, int skipLayerNorms, String reason) {}

    private BertFusion() {}

    /** Fuses what matches; never throws on a model it does not understand (the result says why nothing was fused). */
    public static Result fuse(ModelProto model) {
        if (usesExternalData(model.getGraph())) {
            return new Result(null, 0, 0, "the model keeps tensors in external data files");
        }
        // count only what this pass creates: a graph fused before (or an int8 copy of one, whose fp32-kept
        // Attention nodes remain) already holds contrib operators that are not new
        GraphProto afterAttention = AttentionMatcher.fuse(model.getGraph());
        int attention = countOps(afterAttention, "Attention") - countOps(model.getGraph(), "Attention");
        if (attention <= 0) {
            return new Result(null, 0, 0, "no self-attention block of the BERT export pattern was found");
        }
        GraphProto fused = LayerNormMatcher.fuse(afterAttention);
        int skip = countOps(fused, "SkipLayerNormalization") - countOps(afterAttention, "SkipLayerNormalization");
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
}
