package dev.onyx.onnx;

/** The ONNX attribute kinds the builder supports; constants are immutable and thread-safe. */
public enum AttributeType {
    FLOAT,
    INT,
    STRING,
    FLOATS,
    INTS
}
