package dev.onyx.runtime;

import java.io.IOException;

/**
 * A model or tokenizer file that is missing or whose content breaks the contract Onyx relies on; immutable.
 *
 * <p>The message names the file and what was expected of it.
 */
public class InvalidModelException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
