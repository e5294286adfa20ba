package dev.onyx.onnx.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.onnx.OnnxBuildException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads float tensors from a {@code .safetensors} file (8-byte little-endian header length, JSON header, raw data);
 * immutable after construction, thread-safe.
 */
public final class SafetensorsReader {
    private final Path file;
    private final JsonNode header;
    private final ByteBuffer data;

    private SafetensorsReader(Path file, JsonNode header, ByteBuffer data) {
        this.file = file;
        this.header = header;
        this.data = data;
    }

    public static SafetensorsReader open(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 8) {
            throw new OnnxBuildException(file + " is not a safetensors file: shorter than its 8-byte header length");
        }
        long headerLength =
                ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > bytes.length - 8) {
            throw new OnnxBuildException(file + " is not a safetensors file: header length " + headerLength
                    + " does not fit in " + bytes.length + " bytes");
        }
        String json = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonNode header = Json.tree(json, file + " safetensors header");
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) headerLength, bytes.length - 8 - (int) headerLength)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        return new SafetensorsReader(file, header, data);
    }

    /** Reads tensor {@code name} (F32 or F64) as floats and checks its shape equals {@code expectedShape}. */
    public float[] floats(String name, long... expectedShape) {
        JsonNode entry = header.get(name);
        if (entry == null || name.equals("__metadata__")) {
            throw new OnnxBuildException(file + " has no tensor '" + name + "'");
        }
        long[] shape = new long[entry.path("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = entry.path("shape").get(i).asLong();
        }
        if (!Arrays.equals(shape, expectedShape)) {
            throw new OnnxBuildException(file + " tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " but the layer needs " + Arrays.toString(expectedShape));
        }
        String dtype = entry.path("dtype").asText();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            default ->
                throw new OnnxBuildException(
                        file + " tensor '" + name + "' has dtype " + dtype + "; supported: F32, F64");
        };
        long begin = entry.path("data_offsets").path(0).asLong(-1);
        long end = entry.path("data_offsets").path(1).asLong(-1);
        int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (begin < 0 || end > data.capacity() || end - begin != (long) count * width) {
            throw new OnnxBuildException(file + " tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] that do not hold " + count + " " + dtype + " values");
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            int at = (int) begin + i * width;
            out[i] = width == 4 ? data.getFloat(at) : (float) data.getDouble(at);
        }
        return out;
    }
}
