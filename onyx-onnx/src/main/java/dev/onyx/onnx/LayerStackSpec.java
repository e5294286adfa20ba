package dev.onyx.onnx;

import dev.onyx.onnx.internal.LayerSpecJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A Keras-like layer stack as written in its JSON spec (before weights are loaded); an immutable value, thread-safe.
 *
 * @param name the model name
 * @param input the graph input
 * @param layers the layers, first to last
 * @param weights where the weights come from
 * @param outputName the graph output's name ({@code "output"} unless the spec says otherwise)
 */
public record LayerStackSpec(String name, Input input, List<Layer> layers, Weights weights, String outputName) {

    /** Input element types a stack accepts. */
    public enum InputType {
        INT64,
        INT32,
        FLOAT
    }

    /** The graph input {@code [batch, length]}. */
    public record Input(String name, InputType type, int length) {
        public Input {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (length < 1) {
                throw new OnnxBuildException("input length must be >= 1, got " + length);
            }
        }
    }

    /** Where weights come from: a closed set. */
    public sealed interface Weights {}

    /** Deterministic initialisation from {@code seed}. */
    public record Seeded(long seed) implements Weights {}

    /** Tensors read from a {@code .safetensors} file, named per layer. */
    public record Safetensors(Path file) implements Weights {
        public Safetensors {
            Objects.requireNonNull(file, "file");
        }
    }

    public LayerStackSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(outputName, "outputName");
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new OnnxBuildException("layer stack '" + name + "' has no layers; give at least one");
        }
    }

    /** Parses a spec; a relative safetensors path is resolved against {@code baseDir}. */
    public static LayerStackSpec parse(String json, Path baseDir) {
        return LayerSpecJson.parse(Objects.requireNonNull(json, "json"), Objects.requireNonNull(baseDir, "baseDir"));
    }

    /** Reads a spec file; a relative safetensors path is resolved against the file's folder. */
    public static LayerStackSpec read(Path file) throws IOException {
        return LayerSpecJson.read(Objects.requireNonNull(file, "file"));
    }
}
