package dev.onyx.onnx.internal;

import com.google.protobuf.ByteString;
import dev.onyx.onnx.Attribute;
import dev.onyx.onnx.Dim;
import dev.onyx.onnx.internal.GraphParts.Graph;
import dev.onyx.onnx.internal.GraphParts.Initializer;
import dev.onyx.onnx.internal.GraphParts.NodeDecl;
import dev.onyx.onnx.internal.GraphParts.ValueDecl;
import dev.onyx.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TypeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.util.Map;

/** Turns a validated {@link Graph} into ONNX {@code ModelProto} bytes; stateless and thread-safe. */
public final class ProtoWriter {
    private ProtoWriter() {}

    public static byte[] write(Graph graph) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(graph.info().graphName());
        graph.inputs().forEach(input -> g.addInput(valueInfo(input)));
        graph.initializers().forEach(init -> g.addInitializer(tensor(init)));
        graph.nodes().forEach(node -> g.addNode(node(node)));
        graph.outputs().forEach(output -> g.addOutput(valueInfo(output)));
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(graph.info().irVersion())
                .addOpsetImport(OperatorSetIdProto.newBuilder()
                        .setDomain("")
                        .setVersion(graph.info().opsetVersion()))
                .setProducerName(graph.info().producerName())
                .setProducerVersion(graph.info().producerVersion())
                .setGraph(g);
        if (!graph.info().docString().isEmpty()) {
            model.setDocString(graph.info().docString());
        }
        for (Map.Entry<String, String> entry : graph.info().metadata().entrySet()) {
            model.addMetadataProps(
                    StringStringEntryProto.newBuilder().setKey(entry.getKey()).setValue(entry.getValue()));
        }
        return model.build().toByteArray();
    }

    private static ValueInfoProto valueInfo(ValueDecl value) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim dim : value.shape()) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Dim.Fixed fixed) {
                d.setDimValue(fixed.size());
            } else if (dim instanceof Dim.Symbolic symbolic) {
                d.setDimParam(symbolic.name());
            }
            shape.addDim(d);
        }
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder()
                .setElemType(value.type().onnxCode())
                .setShape(shape)
                .build();
        return ValueInfoProto.newBuilder()
                .setName(value.name())
                .setType(TypeProto.newBuilder().setTensorType(tensorType))
                .build();
    }

    private static TensorProto tensor(Initializer init) {
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(init.name())
                .setDataType(init.type().onnxCode());
        for (long dim : init.dims()) {
            t.addDims(dim);
        }
        Object data = init.data();
        if (data instanceof float[] floats) {
            for (float f : floats) {
                t.addFloatData(f);
            }
        } else if (data instanceof long[] longs) {
            for (long l : longs) {
                t.addInt64Data(l);
            }
        } else if (data instanceof int[] ints) {
            for (int i : ints) {
                t.addInt32Data(i);
            }
        } else {
            throw new IllegalStateException("unsupported initializer data " + data.getClass());
        }
        return t.build();
    }

    private static NodeProto node(NodeDecl node) {
        NodeProto.Builder n = NodeProto.newBuilder()
                .setName(node.name())
                .setOpType(node.op().onnxName())
                .addAllInput(node.inputs())
                .addAllOutput(node.outputs());
        node.attributes().forEach(attribute -> n.addAttribute(attribute(attribute)));
        return n.build();
    }

    private static AttributeProto attribute(Attribute attribute) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(attribute.name());
        if (attribute instanceof Attribute.OfFloat f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f.value());
        } else if (attribute instanceof Attribute.OfInt i) {
            a.setType(AttributeProto.AttributeType.INT).setI(i.value());
        } else if (attribute instanceof Attribute.OfString s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s.value()));
        } else if (attribute instanceof Attribute.OfFloats fs) {
            a.setType(AttributeProto.AttributeType.FLOATS);
            for (float f : fs.values()) {
                a.addFloats(f);
            }
        } else if (attribute instanceof Attribute.OfInts is) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : is.values()) {
                a.addInts(l);
            }
        }
        return a.build();
    }
}
