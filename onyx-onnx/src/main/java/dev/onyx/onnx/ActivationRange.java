package dev.onyx.onnx;

/**
 * A static range an activation is quantized to; an immutable value that always contains 0.
 *
 * @param min lower end, ≤ 0
 * @param max upper end, ≥ 0
 */
public record ActivationRange(float min, float max) {
    public ActivationRange {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > 0f || max < 0f) {
            throw new IllegalArgumentException(
                    "an activation range must be finite and contain 0, was [" + min + ", " + max + "]");
        }
    }
}
