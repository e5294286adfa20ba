package dev.onyx.server.internal;

/**
 * Why a request failed: its HTTP status and the {@code type} / {@code code} that OpenAI-shaped errors carry ({@code code}
 * may be null, as OpenAI's own is for an unknown URL).
 */
public enum ErrorKind {
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request"),
    /** An empty list of inputs: TEI's {@code Empty} error type. */
    EMPTY(400, "invalid_request_error", "invalid_request"),
    UNAUTHORIZED(401, "invalid_request_error", "invalid_api_key"),
    NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    /** No route at this path (OpenAI answers {@code code: null} here). */
    ROUTE_NOT_FOUND(404, "invalid_request_error", null),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
    /** The body did not arrive in time: shorter than its Content-Length, or a stalled client. */
    REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout"),
    PAYLOAD_TOO_LARGE(413, "invalid_request_error", "payload_too_large"),
    TOO_MANY_INPUTS(413, "invalid_request_error", "batch_too_large"),
    INPUT_TOO_LONG(422, "invalid_request_error", "input_too_long"),
    OVERLOADED(429, "rate_limit_error", "too_many_concurrent_inputs"),
    INTERNAL(500, "server_error", "internal_error"),
    UNAVAILABLE(503, "server_error", "unavailable");

    private final int status;
    private final String type;
    private final String code;

    ErrorKind(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }
}
