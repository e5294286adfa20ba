package dev.onyx.onnx;

/**
 * Unchecked root of every error this module raises for misuse or invalid input; immutable and safe to share.
 *
 * <p>Messages name what was wrong, the offending value and what is allowed.
 */
public class OnnxBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxBuildException(String message) {
        super(message);
    }

    public OnnxBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
