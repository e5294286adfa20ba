package dev.onyx.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A validated, serialized ONNX model; immutable and thread-safe (the bytes are copied in and out).
 *
 * @param inputNames the graph's input names, in order
 * @param outputNames the graph's output names, in order
 */
public record ExportedModel(byte[] bytes, List<String> inputNames, List<String> outputNames) {
    public ExportedModel {
        bytes = Objects.requireNonNull(bytes, "bytes").clone();
        inputNames = List.copyOf(inputNames);
        outputNames = List.copyOf(outputNames);
    }

    /** The serialized {@code ModelProto}; a fresh copy on every call. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The serialized {@code ModelProto}; a fresh copy on every call. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Writes the model to {@code file}, replacing it if it exists. */
    public void writeTo(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Files.write(file, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportedModel other
                && java.util.Arrays.equals(bytes, other.bytes)
                && inputNames.equals(other.inputNames)
                && outputNames.equals(other.outputNames);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ExportedModel[" + bytes.length + " bytes, inputs=" + inputNames + ", outputs=" + outputNames + "]";
    }
}
