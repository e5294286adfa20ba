package dev.onyx.onnx.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.onnx.DenseActivation;
import dev.onyx.onnx.Layer;
import dev.onyx.onnx.LayerStackSpec;
import dev.onyx.onnx.LayerStackSpec.Input;
import dev.onyx.onnx.LayerStackSpec.InputType;
import dev.onyx.onnx.OnnxBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Parses layer-stack JSON specs; stateless and thread-safe. */
public final class LayerSpecJson {
    private LayerSpecJson() {}

    public static LayerStackSpec read(Path file) throws IOException {
        Path base = file.toAbsolutePath().getParent();
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), base);
        } catch (OnnxBuildException e) {
            throw new OnnxBuildException(file + ": " + e.getMessage(), e);
        }
    }

    public static LayerStackSpec parse(String json, Path baseDir) {
        JsonNode root = Json.tree(json, "layer stack spec");
        String name = Json.text(root, "name", "spec", "layers");
        Input input = input(Json.field(root, "input", "spec"));
        List<Layer> layers = new ArrayList<>();
        JsonNode array = Json.array(root, "layers", "spec");
        for (int i = 0; i < array.size(); i++) {
            layers.add(layer(array.get(i), "layer " + i));
        }
        String weights = Json.text(root, "weights", "spec");
        LayerStackSpec.Weights source = weights.equals("seeded")
                ? new LayerStackSpec.Seeded(
                        root.hasNonNull("seed")
                                ? Json.field(root, "seed", "spec").asLong()
                                : 0L)
                : new LayerStackSpec.Safetensors(baseDir.resolve(weights));
        if (root.hasNonNull("seed") && !root.get("seed").isIntegralNumber()) {
            throw new OnnxBuildException("spec field 'seed' must be an integer, got " + root.get("seed"));
        }
        return new LayerStackSpec(name, input, layers, source, Json.text(root, "output", "spec", "output"));
    }

    private static Input input(JsonNode node) {
        String type = Json.text(node, "type", "input");
        InputType inputType = switch (type) {
            case "int64" -> InputType.INT64;
            case "int32" -> InputType.INT32;
            case "float32", "float" -> InputType.FLOAT;
            default ->
                throw new OnnxBuildException(
                        "input type '" + type + "' is not supported; allowed: int64, int32, float32");
        };
        return new Input(Json.text(node, "name", "input", "input"), inputType, Json.integer(node, "length", "input"));
    }

    private static Layer layer(JsonNode node, String where) {
        String type = Json.text(node, "type", where);
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "embedding" ->
                new Layer.Embedding(
                        Json.integer(node, "vocab", where),
                        Json.integer(node, "dim", where),
                        Json.bool(node, "mask_zero", where, false),
                        optionalText(node, "embeddings", where));
            case "dense" ->
                new Layer.Dense(
                        Json.integer(node, "units", where),
                        DenseActivation.parse(Json.text(node, "activation", where, "linear")),
                        optionalText(node, "kernel", where),
                        optionalText(node, "bias", where));
            case "global_average_pooling_1d" -> new Layer.GlobalAveragePooling1D();
            case "dropout" -> new Layer.Dropout(Json.number(node, "rate", where, 0.0));
            default ->
                throw new OnnxBuildException(where + " has type '" + type
                        + "'; allowed: embedding, dense, global_average_pooling_1d, dropout");
        };
    }

    private static Optional<String> optionalText(JsonNode node, String field, String where) {
        return node.hasNonNull(field) ? Optional.of(Json.text(node, field, where)) : Optional.empty();
    }
}
