package dev.onyx.neat;

import dev.onyx.runtime.OnyxException;

/** An error in NEAT configuration or evolution; immutable and safe to share between threads. */
public class NeatException extends OnyxException {
    private static final long serialVersionUID = 1L;

    public NeatException(String message) {
        super(message);
    }

    public NeatException(String message, Throwable cause) {
        super(message, cause);
    }
}
