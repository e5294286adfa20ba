package dev.onyx.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Activations a {@code dense} layer may use, as Keras names them; constants are immutable and thread-safe. */
public enum DenseActivation {
    LINEAR,
    RELU,
    SIGMOID,
    TANH,
    SOFTMAX;

    /** Keras' name, e.g. {@code "relu"}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses Keras' name; the error lists the allowed names. */
    public static DenseActivation parse(String name) {
        for (DenseActivation activation : values()) {
            if (activation.kerasName().equals(name)) {
                return activation;
            }
        }
        throw new OnnxBuildException("unknown dense activation '" + name + "'; supported: "
                + Arrays.stream(values()).map(DenseActivation::kerasName).collect(Collectors.joining(", ")));
    }
}
