package dev.onyx.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * neat-python's activation functions, with neat-python's own scaling and clamping; constants are immutable and
 * thread-safe.
 *
 * <p>{@link #preScale()} is the factor neat-python multiplies the pre-activation by before clamping (5 for sigmoid,
 * sin and softplus, 2.5 for tanh, 1 otherwise); the ONNX exporter folds it into weights and bias.
 */
public enum NeatActivation {
    SIGMOID(5.0),
    TANH(2.5),
    SIN(5.0),
    GAUSS(1.0),
    RELU(1.0),
    ELU(1.0),
    LELU(1.0),
    SELU(1.0),
    SOFTPLUS(5.0),
    IDENTITY(1.0),
    CLAMPED(1.0),
    INV(1.0),
    LOG(1.0),
    EXP(1.0),
    ABS(1.0),
    HAT(1.0),
    SQUARE(1.0),
    CUBE(1.0);

    /** neat-python's leak for {@code lelu}. */
    public static final double LELU_LEAK = 0.005;
    /** neat-python's {@code selu} lambda. */
    public static final double SELU_LAMBDA = 1.0507009873554804934193349852946;
    /** neat-python's {@code selu} alpha. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;

    private final double preScale;

    NeatActivation(double preScale) {
        this.preScale = preScale;
    }

    public double preScale() {
        return preScale;
    }

    /** neat-python's name for this activation, e.g. {@code "sigmoid"}. */
    public String neatName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses neat-python's name, e.g. {@code "tanh"}; the error lists the supported names. */
    public static NeatActivation parse(String name) {
        Objects.requireNonNull(name, "name");
        for (NeatActivation activation : values()) {
            if (activation.neatName().equals(name)) {
                return activation;
            }
        }
        throw new OnnxBuildException("unknown activation '" + name + "'; supported: "
                + Arrays.stream(values()).map(NeatActivation::neatName).collect(Collectors.joining(", ")));
    }

    /** Applies the activation exactly as neat-python's {@code activations.py} does, in double precision. */
    public double apply(double z) {
        return switch (this) {
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-clamp(5.0 * z, -60.0, 60.0)));
            case TANH -> Math.tanh(clamp(2.5 * z, -60.0, 60.0));
            case SIN -> Math.sin(clamp(5.0 * z, -60.0, 60.0));
            case GAUSS -> {
                double c = clamp(z, -3.4, 3.4);
                yield Math.exp(-5.0 * c * c);
            }
            case RELU -> z > 0.0 ? z : 0.0;
            case ELU -> z > 0.0 ? z : Math.exp(z) - 1;
            case LELU -> z > 0.0 ? z : LELU_LEAK * z;
            case SELU -> z > 0.0 ? SELU_LAMBDA * z : SELU_LAMBDA * SELU_ALPHA * (Math.exp(z) - 1);
            case SOFTPLUS -> 0.2 * Math.log(1 + Math.exp(clamp(5.0 * z, -60.0, 60.0)));
            case IDENTITY -> z;
            case CLAMPED -> clamp(z, -1.0, 1.0);
            case INV -> z == 0.0 ? 0.0 : 1.0 / z;
            case LOG -> Math.log(Math.max(1e-7, z));
            case EXP -> Math.exp(clamp(z, -60.0, 60.0));
            case ABS -> Math.abs(z);
            case HAT -> Math.max(0.0, 1 - Math.abs(z));
            case SQUARE -> z * z;
            case CUBE -> z * z * z;
        };
    }

    private static double clamp(double z, double low, double high) {
        return Math.max(low, Math.min(high, z));
    }
}
