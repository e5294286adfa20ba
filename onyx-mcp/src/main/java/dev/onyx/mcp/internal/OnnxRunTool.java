package dev.onyx.mcp.internal;

import dev.onyx.runtime.NestedArrays;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code onnx_run} tool: generic inference on an ONNX file inside one of the allowed directories; thread-safe
 * (each call loads, runs and closes its own model).
 */
final class OnnxRunTool {
    private final List<Path> allowed;
    private final RuntimeOptions runtime;
    private final ToolResults results;

    /** @param allowedDirs existing directories; their real paths (symbolic links resolved) bound every model path */
    OnnxRunTool(List<Path> allowedDirs, RuntimeOptions runtime, ToolResults results) throws IOException {
        List<Path> real = new ArrayList<>();
        for (Path dir : allowedDirs) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("allowed directory not found: " + dir.toAbsolutePath());
            }
            real.add(dir.toRealPath());
        }
        this.allowed = List.copyOf(real);
        this.runtime = runtime;
        this.results = results;
    }

    SyncToolSpecification specification() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(
                "path",
                Schemas.string(
                        "The .onnx file, absolute or relative to the first allowed directory; allowed: " + allowed));
        properties.put(
                "inputs",
                Map.of(
                        "type",
                        "object",
                        "description",
                        "Input name -> nested array of numbers (a bare number for a scalar); the"
                                + " element type is the model's.",
                        "additionalProperties",
                        Map.of("type", List.of("array", "number", "boolean"))));
        properties.put(
                "shapes",
                Map.of(
                        "type", "object",
                        "description", "Input name -> shape, for inputs given flat; values are read row-major.",
                        "additionalProperties",
                                Map.of("type", "array", "items", Map.of("type", "integer", "minimum", 0))));
        return ToolSpecs.of(
                "onnx_run",
                "Run an ONNX model on named inputs. Returns {model, outputs: {name: {shape, type, data}}} with data"
                        + " flattened row-major.",
                Schemas.object(properties, List.of("path", "inputs")),
                results,
                this::call);
    }

    private Map<String, Object> call(Args args) throws IOException {
        Path file = resolve(args, args.string("path"));
        Map<String, Object> inputs = args.object("inputs");
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> shape :
                args.optionalObject("shapes").orElse(Map.of()).entrySet()) {
            shapes.put(shape.getKey(), shape(args, shape.getKey(), shape.getValue()));
        }
        try (OnnxModel model = OnnxModel.load(file, runtime)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", file.toString());
            out.putAll(NestedArrays.describeOutputs(model.run(NestedArrays.feeds(model.inputs(), inputs, shapes))));
            return out;
        }
    }

    private Path resolve(Args args, String path) throws IOException {
        Path given = Path.of(path);
        Path absolute = (given.isAbsolute() ? given : allowed.get(0).resolve(given)).normalize();
        if (!inside(absolute)) {
            throw refused(args, path);
        }
        if (!Files.isRegularFile(absolute)) {
            throw args.error("model file not found: " + absolute);
        }
        Path real = absolute.toRealPath();
        if (!inside(real)) {
            throw refused(args, path + " (a link to " + real + ")");
        }
        return real;
    }

    private boolean inside(Path path) {
        return allowed.stream().anyMatch(path::startsWith);
    }

    private OnyxException refused(Args args, String path) {
        return args.error("path '" + path + "' is outside the allowed directories " + allowed
                + "; onnx_run only loads models under the directories the server was started with (--allow-dir)");
    }

    private static long[] shape(Args args, String name, Object value) {
        if (!(value instanceof List<?> list)) {
            throw args.wrong("shapes." + name, value, "an array of sizes >= 0");
        }
        long[] shape = new long[list.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(list.get(i) instanceof Number n)
                    || n.doubleValue() < 0
                    || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw args.wrong("shapes." + name, value, "an array of sizes >= 0");
            }
            shape[i] = n.longValue();
        }
        return shape;
    }
}
