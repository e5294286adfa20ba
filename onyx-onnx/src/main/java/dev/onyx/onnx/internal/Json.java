package dev.onyx.onnx.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.onnx.OnnxBuildException;

/** Small typed accessors over Jackson trees with errors that name the field; stateless and thread-safe. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static JsonNode tree(String json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new OnnxBuildException(what + " must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new OnnxBuildException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode field(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new OnnxBuildException(where + " lacks required field '" + field + "'");
        }
        return value;
    }

    public static int integer(JsonNode node, String field, String where) {
        JsonNode value = field(node, field, where);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new OnnxBuildException(where + " field '" + field + "' must be an integer, got " + value);
        }
        return value.intValue();
    }

    public static int integer(JsonNode node, String field, String where, int fallback) {
        return node.hasNonNull(field) ? integer(node, field, where) : fallback;
    }

    public static double number(JsonNode node, String field, String where) {
        JsonNode value = field(node, field, where);
        if (!value.isNumber()) {
            throw new OnnxBuildException(where + " field '" + field + "' must be a number, got " + value);
        }
        return value.doubleValue();
    }

    public static double number(JsonNode node, String field, String where, double fallback) {
        return node.hasNonNull(field) ? number(node, field, where) : fallback;
    }

    public static String text(JsonNode node, String field, String where) {
        JsonNode value = field(node, field, where);
        if (!value.isTextual()) {
            throw new OnnxBuildException(where + " field '" + field + "' must be a string, got " + value);
        }
        return value.textValue();
    }

    public static String text(JsonNode node, String field, String where, String fallback) {
        return node.hasNonNull(field) ? text(node, field, where) : fallback;
    }

    public static boolean bool(JsonNode node, String field, String where, boolean fallback) {
        if (!node.hasNonNull(field)) {
            return fallback;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw new OnnxBuildException(where + " field '" + field + "' must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    public static JsonNode array(JsonNode node, String field, String where) {
        JsonNode value = field(node, field, where);
        if (!value.isArray()) {
            throw new OnnxBuildException(where + " field '" + field + "' must be an array, got " + value);
        }
        return value;
    }
}
