package dev.onyx.embed;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How an int8 model was made, as far as its files tell; an immutable record.
 *
 * @param maker who quantized it: Onyx (a {@code quantization.json} beside the model, written by {@link Quantization}) or
 *     someone else (quantization operators in the graph, no Onyx report)
 * @param detail one line for people: {@code "Onyx quantizer: static int8, minmax calibration over 200 texts, 6 nodes kept
 *     fp32"} or {@code "third-party int8 (DynamicQuantizeLinear, MatMulInteger)"}
 * @param method the calibration method, for Onyx's int8 ({@code minmax}, {@code p99.99}, ...)
 * @param calibrationTexts how many texts calibrated it, for Onyx's int8
 * @param keptFp32 the nodes Onyx left fp32 (empty for third-party int8)
 */
public record Int8Origin(
        Maker maker, String detail, Optional<String> method, OptionalInt calibrationTexts, List<String> keptFp32) {
    /** Who quantized a model. */
    public enum Maker {
        /** Onyx's own static quantizer ({@code onyx quantize}, {@code --quantize int8}). */
        ONYX,
        /** Another tool (e.g. the {@code -q} catalog models, made with ONNX Runtime's Python tools). */
        THIRD_PARTY
    }

    public Int8Origin {
        Objects.requireNonNull(maker, "maker");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(calibrationTexts, "calibrationTexts");
        keptFp32 = List.copyOf(keptFp32);
    }
}
