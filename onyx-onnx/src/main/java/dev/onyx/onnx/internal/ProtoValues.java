package dev.onyx.onnx.internal;

import com.google.protobuf.ByteString;
import dev.onyx.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.onyx.onnx.internal.proto.OnnxProtos.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Reading and writing the few tensor and attribute shapes the fusion passes need; stateless, so thread-safe. */
final class ProtoValues {
    private ProtoValues() {}

    /** The float contents of a FLOAT tensor (raw or typed data); null for any other type. */
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

    /** The contents of an INT64 or INT32 tensor as longs; null for any other type. */
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

    /** A FLOAT initializer with little-endian raw data. */
    static TensorProto floatTensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    static AttributeProto intAttribute(String name, long value) {
        return attribute(name, AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return attribute(name, AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto.Builder attribute(String name, AttributeProto.AttributeType type) {
        return AttributeProto.newBuilder().setName(name).setType(type);
    }

    static long intAttr(NodeProto node, String name, long fallback) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getI();
        return fallback;
    }

    static float floatAttr(NodeProto node, String name, float fallback) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getF();
        return fallback;
    }

    /** The {@code ints} of the named attribute; null when the node has no such attribute. */
    static long[] intsAttr(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name))
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }
        return null;
    }
}
