package dev.onyx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Conversions between Onyx's values and ONNX Runtime's; stateless, so thread-safe. The one place OrtException is translated. */
final class OrtBridge {
    private OrtBridge() {}

    /** C++ source locations and function signatures that ONNX Runtime puts into its messages. */
    private static final Pattern NATIVE_DETAIL = Pattern.compile(
            "(?:/|[A-Za-z]:\\\\)[^\\s:]*\\.(?:cc|cpp|h):\\d+\\s+(?:[^\\s(]*::[^(]*\\([^)]*\\)\\s*(?:const\\s*)?)?");

    private static final Pattern ORT_PREFIX = Pattern.compile("^Error code - \\w+ - message:\\s*");

    static OrtEnvironment environment() {
        NativeLibraryCache.prepare();
        return OrtEnvironment.getEnvironment(OrtLogging.level(), "onyx");
    }

    static OnyxException translate(String what, OrtException e) {
        return new OnyxException(what + " failed in ONNX Runtime (" + e.getCode() + "): " + clean(e.getMessage()), e);
    }

    /** ONNX Runtime's message without its error-code prefix, C++ source locations and signatures. */
    static String clean(String message) {
        if (message == null) return "";
        String text = ORT_PREFIX.matcher(message.strip()).replaceFirst("");
        return NATIVE_DETAIL.matcher(text).replaceAll("").strip();
    }

    /**
     * A session that cannot be created: "not an ONNX model: SOURCE (reason)" when the bytes do not parse as a model,
     * else "cannot load ONNX model SOURCE: reason".
     */
    static InvalidModelException loadFailure(String source, OrtException e) {
        String reason = clean(e.getMessage());
        int failed = reason.indexOf(" failed:");
        if (reason.startsWith("Load model from ") && failed > 0) {
            reason = reason.substring(failed + " failed:".length()).strip();
        }
        boolean notAModel = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF
                || reason.contains("ModelProto does not have a graph")
                || reason.contains("Protobuf parsing failed");
        if (notAModel) {
            return new InvalidModelException("not an ONNX model: " + source + " (" + reason + ")", e);
        }
        return new InvalidModelException("cannot load ONNX model " + source + ": " + reason, e);
    }

    /** The devices the loaded ONNX Runtime build offers. */
    static Set<Device> availableDevices() {
        NativeLibraryCache.prepare();
        EnumSet<Device> devices = EnumSet.of(Device.CPU);
        for (OrtProvider provider : OrtEnvironment.getAvailableProviders()) {
            switch (provider) {
                case CUDA -> devices.add(Device.CUDA);
                case CORE_ML -> devices.add(Device.COREML);
                case DIRECT_ML -> devices.add(Device.DIRECTML);
                default -> {}
            }
        }
        return devices;
    }

    static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>(infos.size());
        for (NodeInfo node : infos.values()) {
            specs.add(spec(node.getName(), node.getInfo()));
        }
        return List.copyOf(specs);
    }

    private static TensorSpec spec(String name, ValueInfo info) {
        if (!(info instanceof TensorInfo tensor)) {
            return new TensorSpec(name, ElementType.UNKNOWN, List.of());
        }
        long[] shape = tensor.getShape();
        String[] symbols = tensor.getDimensionNames();
        List<Dimension> dims = new ArrayList<>(shape.length);
        for (int i = 0; i < shape.length; i++) {
            dims.add(shape[i] >= 0 ? Dimension.fixed(shape[i]) : Dimension.dynamic(symbols[i]));
        }
        return new TensorSpec(name, elementType(tensor.type), dims);
    }

    static ElementType elementType(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> ElementType.FLOAT;
            case DOUBLE -> ElementType.DOUBLE;
            case INT8 -> ElementType.INT8;
            case UINT8 -> ElementType.UINT8;
            case INT16 -> ElementType.INT16;
            case INT32 -> ElementType.INT32;
            case INT64 -> ElementType.INT64;
            case BOOL -> ElementType.BOOL;
            case STRING -> ElementType.STRING;
            case FLOAT16 -> ElementType.FLOAT16;
            case BFLOAT16 -> ElementType.BFLOAT16;
            default -> ElementType.UNKNOWN;
        };
    }

    static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        return switch (tensor.type()) {
            case FLOAT -> OnnxTensor.createTensor(env, (FloatBuffer) tensor.buffer(), shape);
            case DOUBLE -> OnnxTensor.createTensor(env, (DoubleBuffer) tensor.buffer(), shape);
            case INT64 -> OnnxTensor.createTensor(env, (LongBuffer) tensor.buffer(), shape);
            case INT32 -> OnnxTensor.createTensor(env, (IntBuffer) tensor.buffer(), shape);
            case INT8, UINT8, BOOL ->
                OnnxTensor.createTensor(env, (ByteBuffer) tensor.buffer(), shape, javaType(tensor.type()));
            default -> throw new OnyxException("cannot pass " + tensor.type() + " tensors to a model");
        };
    }

    private static OnnxJavaType javaType(ElementType type) {
        return switch (type) {
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            default -> OnnxJavaType.BOOL;
        };
    }

    /** Copies an ONNX Runtime output to the heap, so it outlives the native result. */
    static Tensor toHeap(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new OnyxException("output '" + name + "' is a " + value.getType() + "; only tensors are supported");
        }
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        return switch (info.type) {
            case FLOAT -> Tensor.ofFloats(tensor.getFloatBuffer(), shape);
            case DOUBLE -> Tensor.ofDoubles(tensor.getDoubleBuffer().array(), shape);
            case INT64 -> Tensor.ofLongs(tensor.getLongBuffer(), shape);
            case INT32 -> Tensor.ofInts(tensor.getIntBuffer().array(), shape);
            case INT8, UINT8, BOOL -> {
                ByteBuffer bytes = tensor.getByteBuffer();
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                yield Tensor.ofBytes(elementType(info.type), copy, shape);
            }
            default ->
                throw new OnyxException("output '" + name + "' has element type " + info.type
                        + "; supported: float, double, int64, int32, int8, uint8, bool");
        };
    }
}
