package dev.onyx.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads request bodies: JSON objects whose fields are checked for presence and type, each error naming the field and
 * what is allowed. Stateless, so thread-safe.
 */
public final class RequestReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestReader() {}

    /** Parses a body that must be one JSON object. */
    public static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest(null, "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest(null, "request body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest(
                    null, "request body must be a JSON object, was " + (root == null ? "empty" : kind(root)));
        }
        return root;
    }

    public static Optional<String> string(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string, was " + kind(node));
        }
        return Optional.of(node.textValue());
    }

    public static Optional<Boolean> bool(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(field, field + " must be true or false, was " + kind(node));
        }
        return Optional.of(node.booleanValue());
    }

    /** An optional integer of at least 1. */
    public static OptionalInt positiveInt(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw ApiException.badRequest(field, field + " must be a positive integer, was " + node);
        }
        return OptionalInt.of(node.intValue());
    }

    /**
     * Reads the inputs: a string, a list of strings, and (when {@code tokenIds}) a list of token ids or a list of such
     * lists. Empty strings and empty lists are refused; more than {@code maxInputs} inputs get 413.
     */
    public static Inputs inputs(JsonNode root, String field, boolean tokenIds, int maxInputs) {
        JsonNode node = root.get(field);
        String allowed = tokenIds
                ? "a string, a list of strings, a list of token ids, or a list of token-id lists"
                : "a string or a list of strings";
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(field, field + " is required: " + allowed);
        }
        if (node.isTextual()) {
            return new Inputs.Texts(List.of(text(node, field)));
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field, field + " must be " + allowed + ", was " + kind(node));
        }
        if (node.isEmpty()) {
            throw new ApiException(ErrorKind.EMPTY, field, field + " must not be an empty list");
        }
        JsonNode first = node.get(0);
        if (tokenIds && first.isNumber()) {
            return new Inputs.TokenIds(List.of(ids(node, field)));
        }
        checkCount(node, field, maxInputs);
        if (tokenIds && first.isArray()) {
            List<long[]> rows = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                JsonNode row = node.get(i);
                String name = field + "[" + i + "]";
                if (!row.isArray()) {
                    throw ApiException.badRequest(name, name + " must be a list of token ids, was " + kind(row));
                }
                rows.add(ids(row, name));
            }
            return new Inputs.TokenIds(rows);
        }
        List<String> texts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            texts.add(text(node.get(i), field + "[" + i + "]"));
        }
        return new Inputs.Texts(texts);
    }

    private static void checkCount(JsonNode list, String field, int maxInputs) {
        if (list.size() > maxInputs) {
            throw new ApiException(
                    ErrorKind.TOO_MANY_INPUTS,
                    field,
                    field + " has " + list.size() + " items; at most " + maxInputs
                            + " are allowed per request (--max-client-batch)");
        }
    }

    private static String text(JsonNode node, String name) {
        if (!node.isTextual()) {
            throw ApiException.badRequest(name, name + " must be a string, was " + kind(node));
        }
        if (node.textValue().isEmpty()) {
            throw ApiException.badRequest(name, name + " is an empty string; every input needs at least one character");
        }
        return node.textValue();
    }

    private static long[] ids(JsonNode list, String name) {
        if (list.isEmpty()) {
            throw ApiException.badRequest(name, name + " is an empty list of token ids");
        }
        long[] ids = new long[list.size()];
        for (int j = 0; j < ids.length; j++) {
            JsonNode id = list.get(j);
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 0) {
                throw ApiException.badRequest(
                        name, name + "[" + j + "] must be a non-negative integer token id, was " + id);
            }
            ids[j] = id.longValue();
        }
        return ids;
    }

    /** How a JSON value reads in an error message. */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number (" + node + ")";
            case BOOLEAN -> "a boolean (" + node + ")";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL, MISSING -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
