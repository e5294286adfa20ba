package dev.onyx.runtime;

/**
 * Root of Onyx's unchecked exceptions; immutable and safe to share between threads.
 *
 * <p>Checked {@link java.io.IOException} (and its subclass {@link InvalidModelException}) is used only for I/O and for
 * model or tokenizer files that break their contract. Everything else that goes wrong is an {@code OnyxException} whose
 * message names what was wrong, the offending value and what is allowed.
 */
public class OnyxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnyxException(String message) {
        super(message);
    }

    public OnyxException(String message, Throwable cause) {
        super(message, cause);
    }
}
