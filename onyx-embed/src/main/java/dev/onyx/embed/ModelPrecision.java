package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Locale;

/**
 * The number format a model computes in (its weights and matrix products), as opposed to {@link Precision}, the format
 * of the vectors it returns; an enum, so immutable and thread-safe.
 */
public enum ModelPrecision {
    /** 32-bit floats: the model as exported. */
    FP32("float32"),
    /** 16-bit floats. */
    FP16("float16"),
    /** 8-bit integers for the matrix products (quantization operators in the graph). */
    INT8("int8");

    private final String dtype;

    ModelPrecision(String dtype) {
        this.dtype = dtype;
    }

    /** The lower-case name used on the command line: {@code fp32}, {@code fp16}, {@code int8}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name TEI's {@code /info} uses for it ({@code model_dtype}): {@code float32}, {@code float16}, {@code int8}. */
    public String dtype() {
        return dtype;
    }

    /**
     * Parses what a user may ask a model to be quantized to ({@code --quantize}, {@code SOURCE?quantize=}):
     * case-insensitively, and only {@code int8} for now.
     *
     * @throws OnyxException naming the value and the allowed ones
     */
    public static ModelPrecision parseQuantization(String value) {
        if (value != null && value.strip().equalsIgnoreCase(INT8.label())) {
            return INT8;
        }
        throw new OnyxException("unknown quantization '" + value + "'; allowed: " + INT8.label());
    }
}
