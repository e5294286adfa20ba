package dev.onyx.server.internal;

import dev.onyx.runtime.OnyxException;
import java.util.Objects;
import java.util.Optional;

/** A request the server refuses, with the HTTP status and the field at fault; immutable. */
public final class ApiException extends OnyxException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String param;

    public ApiException(ErrorKind kind, String param, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.param = param;
    }

    public static ApiException badRequest(String param, String message) {
        return new ApiException(ErrorKind.INVALID_REQUEST, param, message);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The request field at fault (e.g. {@code input[3]}), when one is. */
    public Optional<String> param() {
        return Optional.ofNullable(param);
    }
}
