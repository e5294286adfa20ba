package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The number format of output vectors, as sentence-transformers' {@code quantize_embeddings} defines them; an enum, so
 * immutable and thread-safe.
 */
public enum Precision {
    /** The vectors as computed: 4 bytes per dimension. */
    FLOAT32,
    /** One signed byte per dimension: {@code trunc((x - min) / ((max - min) / 255) - 128)} with per-dimension ranges. */
    INT8,
    /** One unsigned byte per dimension: {@code trunc((x - min) / ((max - min) / 255))} with per-dimension ranges. */
    UINT8,
    /** Sign bits ({@code x > 0}) packed 8 per byte, first dimension in the high bit, stored as {@code byte - 128}. */
    BINARY,
    /** Sign bits ({@code x > 0}) packed 8 per byte, first dimension in the high bit, as unsigned bytes. */
    UBINARY;

    /** The lower-case name used on the command line and in HTTP requests. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether values are signed ({@link #INT8}, {@link #BINARY}); the others are unsigned or float. */
    public boolean signed() {
        return this == INT8 || this == BINARY;
    }

    /** Bytes per vector of {@code dimension} floats in this precision. */
    public int bytesPerVector(int dimension) {
        return switch (this) {
            case FLOAT32 -> dimension * Float.BYTES;
            case INT8, UINT8 -> dimension;
            case BINARY, UBINARY -> (dimension + 7) / 8;
        };
    }

    /**
     * Parses a label, case-insensitively.
     *
     * @throws OnyxException naming the value and the allowed ones
     */
    public static Precision parse(String value) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new OnyxException("unknown precision '" + value + "'; allowed: "
                + Arrays.stream(values()).map(Precision::label).toList());
    }
}
