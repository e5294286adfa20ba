package dev.onyx.onnx;

/** Tensor element types the builder writes; constants are immutable and thread-safe. */
public enum ElementType {
    FLOAT(1),
    INT32(6),
    INT64(7),
    BOOL(9),
    DOUBLE(11);

    private final int onnxCode;

    ElementType(int onnxCode) {
        this.onnxCode = onnxCode;
    }

    /** The {@code TensorProto.DataType} number ONNX uses for this type. */
    public int onnxCode() {
        return onnxCode;
    }
}
