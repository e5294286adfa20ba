package dev.onyx.mcp.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for one parsed line, whether it is a JSON-RPC message the MCP SDK can take, or which error the client gets
 * instead; stateless apart from the fixed tool names, so thread-safe. The SDK's stdio transport stops reading for good
 * at the first line it cannot turn into a message, and answers wrong {@code params} with Jackson's text: this check
 * keeps such lines away from it and answers them with JSON-RPC's own codes.
 */
final class JsonRpcCheck {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;

    /** What the gate does with a line: pass it to the SDK (remembering a request's id) or answer with an error. */
    sealed interface Verdict {}

    /** A valid message; {@code requestId} is present for a request (which will get an answer). */
    record Forward(Optional<Object> requestId) implements Verdict {}

    /** An error answer; {@code id} is null when the line's id could not be read (JSON-RPC says so). */
    record Reject(Object id, int code, String message) implements Verdict {}

    /** A message to drop without an answer (a notification the SDK could not read; JSON-RPC never answers those). */
    record Drop(String reason) implements Verdict {}

    private final Set<String> toolNames;

    JsonRpcCheck(Set<String> toolNames) {
        this.toolNames = Set.copyOf(toolNames);
    }

    /** @param message the parsed line (a map, list, string, number, boolean or null) */
    Verdict check(Object message) {
        if (message instanceof List<?> list) {
            return new Reject(
                    null,
                    INVALID_REQUEST,
                    list.isEmpty()
                            ? "Invalid Request: an empty array is not a JSON-RPC message"
                            : "Invalid Request: batches (JSON arrays) are not supported by MCP; send one message per"
                                    + " line");
        }
        if (!(message instanceof Map<?, ?> map)) {
            return new Reject(
                    null, INVALID_REQUEST, "Invalid Request: a JSON-RPC message is an object, was " + kind(message));
        }
        Object id = map.get("id");
        boolean idValid = isId(id);
        Object replyId = idValid ? id : null;
        if (!"2.0".equals(map.get("jsonrpc"))) {
            return new Reject(
                    replyId,
                    INVALID_REQUEST,
                    "Invalid Request: 'jsonrpc' must be \"2.0\", was " + describe(map.get("jsonrpc")));
        }
        if (!map.containsKey("method")) {
            boolean response = idValid && (map.containsKey("result") != map.containsKey("error"));
            return response
                    ? new Forward(Optional.empty())
                    : new Reject(
                            replyId,
                            INVALID_REQUEST,
                            "Invalid Request: a message needs 'method' (a request or notification), or an 'id' with"
                                    + " one of 'result' and 'error' (a response)");
        }
        if (!(map.get("method") instanceof String method) || method.isEmpty()) {
            return new Reject(
                    replyId,
                    INVALID_REQUEST,
                    "Invalid Request: 'method' must be a non-empty string, was " + describe(map.get("method")));
        }
        boolean request = map.containsKey("id");
        if (request && !idValid) {
            return new Reject(
                    null,
                    INVALID_REQUEST,
                    "Invalid Request: 'id' must be a string or an integer (MCP does not allow null), was "
                            + describe(id));
        }
        Optional<String> paramsError = paramsError(method, map.get("params"), map.containsKey("params"));
        if (paramsError.isPresent()) {
            return request
                    ? new Reject(id, INVALID_PARAMS, "Invalid params: " + paramsError.get())
                    : new Drop(paramsError.get());
        }
        return new Forward(request ? Optional.of(id) : Optional.empty());
    }

    private Optional<String> paramsError(String method, Object params, boolean present) {
        if (present && !(params instanceof Map)) {
            return Optional.of(method + ": 'params' must be an object, was " + describe(params));
        }
        Map<?, ?> map = params == null ? Map.of() : (Map<?, ?>) params;
        return switch (method) {
            case "tools/call" -> toolCallError(map);
            case "initialize" -> initializeError(map);
            case "tools/list", "prompts/list", "resources/list" -> wrongType(method, map, "cursor", String.class);
            default -> Optional.empty();
        };
    }

    private Optional<String> toolCallError(Map<?, ?> params) {
        Object name = params.get("name");
        if (!(name instanceof String tool)) {
            return Optional.of("tools/call: 'params.name' must be a tool name (a string), was " + describe(name)
                    + "; tools: " + sorted());
        }
        if (!toolNames.contains(tool)) {
            return Optional.of("tools/call: unknown tool '" + tool + "'; tools: " + sorted());
        }
        return wrongType("tools/call", params, "arguments", Map.class);
    }

    private static Optional<String> initializeError(Map<?, ?> params) {
        if (!(params.get("protocolVersion") instanceof String)) {
            return Optional.of("initialize: 'params.protocolVersion' must be a string such as \"2025-06-18\", was "
                    + describe(params.get("protocolVersion")));
        }
        Optional<String> capabilities = wrongType("initialize", params, "capabilities", Map.class);
        if (capabilities.isPresent()) return capabilities;
        Object clientInfo = params.get("clientInfo");
        if (clientInfo != null
                && !(clientInfo instanceof Map<?, ?> info
                        && info.get("name") instanceof String
                        && (info.get("version") == null || info.get("version") instanceof String))) {
            return Optional.of("initialize: 'params.clientInfo' must be an object with a string 'name' and"
                    + " 'version', was " + describe(clientInfo));
        }
        return Optional.empty();
    }

    private static Optional<String> wrongType(String method, Map<?, ?> params, String field, Class<?> type) {
        Object value = params.get(field);
        if (value == null || type.isInstance(value)) return Optional.empty();
        String wanted = type == Map.class ? "an object" : "a string";
        return Optional.of(method + ": 'params." + field + "' must be " + wanted + ", was " + describe(value));
    }

    private String sorted() {
        return String.join(", ", toolNames.stream().sorted().toList());
    }

    private static boolean isId(Object id) {
        return id instanceof String
                || id instanceof Integer
                || id instanceof Long
                || id instanceof BigInteger
                || (id instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0);
    }

    static String kind(Object value) {
        if (value == null) return "null";
        if (value instanceof String) return "a string";
        if (value instanceof Number) return "a number";
        if (value instanceof Boolean) return "a boolean";
        if (value instanceof List) return "an array";
        return "an object";
    }

    private static String describe(Object value) {
        if (value == null) return "missing or null";
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        if (shown.length() > 60) shown = shown.substring(0, 57) + "...";
        return kind(value) + " (" + shown + ")";
    }
}
