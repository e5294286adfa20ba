package dev.onyx.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where ONNX Runtime executes a model; an enum, so immutable and thread-safe.
 *
 * <p>{@link #AUTO} picks the best device the loaded ONNX Runtime build offers (CUDA, then DirectML, then CoreML) and
 * otherwise the CPU. The device actually used is always reported by {@link OnnxModel#device()}.
 */
public enum Device {
    AUTO,
    CPU,
    CUDA,
    COREML,
    DIRECTML;

    /** Parses a device name case-insensitively ({@code "cuda"}, {@code "CPU"}, ...). */
    public static Device parse(String name) {
        String wanted = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (Device device : values()) {
            if (device.name().equals(wanted)) {
                return device;
            }
        }
        throw new OnyxException("unknown device '" + name + "'; allowed: " + allowedNames());
    }

    /** The lower-case names accepted by {@link #parse}, comma-separated. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(Device::label).collect(Collectors.joining(", "));
    }

    /** The lower-case name used on the command line and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
