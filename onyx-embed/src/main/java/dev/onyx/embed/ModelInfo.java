package dev.onyx.embed;

import dev.onyx.runtime.Device;
import java.util.Objects;
import java.util.Optional;

/**
 * What an open {@link Embedder} runs; an immutable record.
 *
 * @param name the model's name (catalog name or folder name)
 * @param source where it was loaded from (file path or carrier artifact)
 * @param dimension length of each output vector
 * @param maxTokens truncation length, with special tokens
 * @param pooling pooling in use
 * @param normalize whether vectors are L2-normalized
 * @param requestedDevice the device asked for
 * @param device the device actually in use
 * @param modelSha256 hex SHA-256 of the ONNX file
 * @param graph what ONNX Runtime runs: {@code "fused (6 Attention, 12 SkipLayerNormalization)"} or
 *     {@code "as exported (reason)"}
 * @param runtimeFile the ONNX file the session was built from: the fused copy in Onyx's cache, or the original
 * @param precision what the model computes in, read from its graph (quantization operators mean int8)
 * @param int8Origin for an int8 model, who quantized it and how; empty otherwise
 */
public record ModelInfo(
        String name,
        String source,
        int dimension,
        int maxTokens,
        Pooling pooling,
        boolean normalize,
        Device requestedDevice,
        Device device,
        String modelSha256,
        String graph,
        String runtimeFile,
        ModelPrecision precision,
        Optional<Int8Origin> int8Origin) {
    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(requestedDevice, "requestedDevice");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(runtimeFile, "runtimeFile");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(int8Origin, "int8Origin");
    }
}
