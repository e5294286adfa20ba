package dev.onyx.mcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Typed, validated reads of one tool call's arguments (as the JSON parser gave them); used by one thread per call.
 * Every failure is a {@link ToolArgumentException} naming the argument, what was given and what is allowed.
 */
final class Args {
    private final String tool;
    private final Map<String, Object> values;

    Args(String tool, Map<String, Object> values) {
        this.tool = tool;
        this.values = values == null ? Map.of() : values;
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    String string(String name) {
        return optionalString(name).orElseThrow(() -> missing(name, "a string"));
    }

    Optional<String> optionalString(String name) {
        Object value = values.get(name);
        if (value == null) return Optional.empty();
        if (value instanceof String s) return Optional.of(s);
        throw wrong(name, value, "a string");
    }

    /** A list of strings of {@code min}..{@code max} elements. */
    List<String> strings(String name, int min, int max) {
        Object value = values.get(name);
        if (value == null) throw missing(name, "an array of strings");
        return stringList(name, value, min, max);
    }

    List<String> stringList(String name, Object value, int min, int max) {
        if (!(value instanceof List<?> list)) throw wrong(name, value, "an array of strings");
        if (list.size() < min || list.size() > max) {
            throw new ToolArgumentException(tool + ": '" + name + "' has " + list.size() + " elements; allowed: "
                    + (min == max ? Integer.toString(min) : min + " to " + max));
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw wrong(name + "[" + i + "]", list.get(i), "a string");
            }
            out.add(s);
        }
        return out;
    }

    /** A non-empty string: empty texts are refused as the HTTP API refuses them. */
    String text(String name) {
        return nonEmpty(name, string(name));
    }

    /** A list of {@code min}..{@code max} non-empty strings. */
    List<String> texts(String name, int min, int max) {
        Object value = values.get(name);
        if (value == null) throw missing(name, "an array of strings");
        return textList(name, value, min, max);
    }

    List<String> textList(String name, Object value, int min, int max) {
        List<String> list = stringList(name, value, min, max);
        for (int i = 0; i < list.size(); i++) {
            nonEmpty(name + "[" + i + "]", list.get(i));
        }
        return list;
    }

    private String nonEmpty(String name, String value) {
        if (value.isEmpty()) {
            throw new ToolArgumentException(
                    tool + ": '" + name + "' is an empty string; every input needs at least one character");
        }
        return value;
    }

    /** A list (of anything) of {@code min}..{@code max} elements. */
    List<?> list(String name, int min, int max) {
        Object value = values.get(name);
        if (value == null) throw missing(name, "an array");
        if (!(value instanceof List<?> list)) throw wrong(name, value, "an array");
        if (list.size() < min || list.size() > max) {
            throw new ToolArgumentException(
                    tool + ": '" + name + "' has " + list.size() + " elements; allowed: " + min + " to " + max);
        }
        return list;
    }

    OptionalInt optionalInt(String name, int min, int max) {
        Object value = values.get(name);
        if (value == null) return OptionalInt.empty();
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            double d = n.doubleValue();
            if (d >= min && d <= max) return OptionalInt.of((int) d);
        }
        throw wrong(name, value, "an integer from " + min + " to " + max);
    }

    /** A JSON object, as a map with string keys. */
    Optional<Map<String, Object>> optionalObject(String name) {
        Object value = values.get(name);
        if (value == null) return Optional.empty();
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return Optional.of(out);
        }
        throw wrong(name, value, "an object");
    }

    Map<String, Object> object(String name) {
        return optionalObject(name).orElseThrow(() -> missing(name, "an object"));
    }

    ToolArgumentException missing(String name, String what) {
        return new ToolArgumentException(tool + ": missing argument '" + name + "' (" + what + ")");
    }

    ToolArgumentException wrong(String name, Object value, String what) {
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        if (shown.length() > 80) shown = shown.substring(0, 77) + "...";
        return new ToolArgumentException(tool + ": '" + name + "' must be " + what + ", was " + shown);
    }

    ToolArgumentException error(String message) {
        return new ToolArgumentException(tool + ": " + message);
    }
}
