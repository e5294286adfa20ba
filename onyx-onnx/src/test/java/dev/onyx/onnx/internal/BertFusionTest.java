package dev.onyx.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.onyx.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TypeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import org.junit.jupiter.api.Test;

/** BertFusion reports only the operators it creates, not contrib operators already in the graph. */
class BertFusionTest {
    @Test
    void aGraphThatIsAlreadyFusedIsNotCountedAsFusedAgain() {
        // what an int8 folder holds: an fp32 Attention kept from an earlier fusion, and a SkipLayerNormalization
        GraphProto graph = GraphProto.newBuilder()
                .setName("already-fused")
                .addInput(value("x"))
                .addInput(value("skip"))
                .addInitializer(floats("w", 8, 24))
                .addInitializer(floats("b", 24))
                .addInitializer(floats("gamma", 8))
                .addInitializer(floats("beta", 8))
                .addNode(NodeProto.newBuilder()
                        .setName("onyx_fused/Attention_1")
                        .setOpType("Attention")
                        .setDomain("com.microsoft")
                        .addInput("x")
                        .addInput("w")
                        .addInput("b")
                        .addOutput("attended")
                        .addAttribute(AttributeProto.newBuilder()
                                .setName("num_heads")
                                .setType(AttributeProto.AttributeType.INT)
                                .setI(2)))
                .addNode(NodeProto.newBuilder()
                        .setName("onyx_fused/SkipLayerNorm_1")
                        .setOpType("SkipLayerNormalization")
                        .setDomain("com.microsoft")
                        .addInput("attended")
                        .addInput("skip")
                        .addInput("gamma")
                        .addInput("beta")
                        .addOutput("y"))
                .addOutput(value("y"))
                .build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder()
                        .setDomain("com.microsoft")
                        .setVersion(1))
                .setGraph(graph)
                .build();

        BertFusion.Result result = BertFusion.fuse(model);

        assertThat(result.model()).as("nothing new to write").isNull();
        assertThat(result.attentionBlocks()).isZero();
        assertThat(result.skipLayerNorms()).isZero();
        assertThat(result.reason()).contains("no self-attention block");
    }

    private static ValueInfoProto value(String name) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)))
                .build();
    }

    private static TensorProto floats(String name, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(new byte[(int) n * Float.BYTES]));
        for (long d : dims) t.addDims(d);
        return t.build();
    }
}
