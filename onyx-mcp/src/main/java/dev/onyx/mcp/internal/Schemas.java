package dev.onyx.mcp.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the JSON Schemas of tool arguments; stateless, so thread-safe. */
final class Schemas {
    private Schemas() {}

    static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) schema.put("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> stringEnum(String description, List<String> values) {
        return Map.of("type", "string", "description", description, "enum", values);
    }

    static Map<String, Object> strings(String description, int minItems, int maxItems) {
        return Map.of(
                "type", "array",
                "description", description,
                "items", Map.of("type", "string"),
                "minItems", minItems,
                "maxItems", maxItems);
    }

    static Map<String, Object> integer(String description, int minimum, int maximum) {
        return Map.of("type", "integer", "description", description, "minimum", minimum, "maximum", maximum);
    }
}
