package dev.onyx.embed;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * A hub download that failed: an HTTP error (401, 404, ...), a checksum mismatch, or a file missing from the cache in
 * offline mode; immutable. The message names the repository, the file and what to do.
 */
public final class HubException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public HubException(String message) {
        this(message, -1);
    }

    public HubException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the hub answered with, when the failure was one. */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
