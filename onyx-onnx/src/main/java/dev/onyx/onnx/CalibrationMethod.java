package dev.onyx.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an activation's static int8 range is chosen from what calibration saw ({@link ActivationStatistics}).
 * {@code MIN_MAX} keeps every value representable (outliers stretch the grid); the percentile methods clip the rarest
 * values on each side so the common ones get a finer grid.
 */
public enum CalibrationMethod {
    /** The smallest and largest value seen. */
    MIN_MAX("minmax", 1.0),
    /** Clips the 0.001 % most extreme values on each side. */
    PERCENTILE_99_999("p99.999", 0.99999),
    /** Clips the 0.01 % most extreme values on each side. */
    PERCENTILE_99_99("p99.99", 0.9999),
    /** Clips the 0.1 % most extreme values on each side. */
    PERCENTILE_99_9("p99.9", 0.999);

    private final String cliName;
    private final double keep;

    CalibrationMethod(String cliName, double keep) {
        this.cliName = cliName;
        this.keep = keep;
    }

    /** The name used on the command line and in {@code quantization.json}. */
    public String cliName() {
        return cliName;
    }

    /** Fraction of values kept inside the range on each side (1 for min-max). */
    public double keep() {
        return keep;
    }

    /** Parses a {@link #cliName()}, case-insensitively; the error lists the allowed names. */
    public static CalibrationMethod parse(String name) {
        for (CalibrationMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(name.strip())) return m;
        }
        throw new IllegalArgumentException("unknown calibration method '" + name + "'; allowed: "
                + Arrays.stream(values()).map(CalibrationMethod::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
