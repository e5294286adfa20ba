package dev.onyx.onnx;

import dev.onyx.onnx.LayerStack.Step;
import dev.onyx.onnx.LayerStackSpec.InputType;
import java.util.Objects;

/**
 * Evaluates a {@link LayerStack} in plain Java, double precision, with Keras' inference semantics; immutable and
 * thread-safe.
 *
 * <p>Each result row is the output for one input row, flattened row-major ({@code [features]} or {@code [length,
 * features]}). A masked average over a row whose tokens are all 0 divides by 1 and gives zeros (Keras would give
 * NaN).
 */
public final class LayerStackEvaluator {
    private final LayerStack stack;

    private LayerStackEvaluator(LayerStack stack) {
        this.stack = stack;
    }

    public static LayerStackEvaluator of(LayerStack stack) {
        return new LayerStackEvaluator(Objects.requireNonNull(stack, "stack"));
    }

    /** Evaluates token-id rows (for stacks with an int64 or int32 input). */
    public double[][] evaluate(long[][] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        requireInput(true);
        double[][] out = new double[tokens.length][];
        for (int row = 0; row < tokens.length; row++) {
            checkLength(tokens[row].length, row);
            out[row] = run(null, tokens[row]);
        }
        return out;
    }

    /** Evaluates feature rows (for stacks with a float32 input). */
    public double[][] evaluate(double[][] features) {
        Objects.requireNonNull(features, "features");
        requireInput(false);
        double[][] out = new double[features.length][];
        for (int row = 0; row < features.length; row++) {
            checkLength(features[row].length, row);
            out[row] = run(new double[][] {features[row].clone()}, null);
        }
        return out;
    }

    private double[] run(double[][] start, long[] tokens) {
        double[][] x = start;
        double[] mask = null;
        for (Step step : stack.steps()) {
            Layer layer = step.layer();
            if (layer instanceof Layer.Embedding e) {
                x = embed(step, e, tokens);
                mask = maskOf(tokens, e.maskZero());
            } else if (layer instanceof Layer.Dense d) {
                for (int r = 0; r < x.length; r++) {
                    x[r] = dense(step, d, x[r]);
                }
            } else if (layer instanceof Layer.GlobalAveragePooling1D) {
                x = new double[][] {average(x, mask)};
            }
        }
        double[] flat = new double[x.length * x[0].length];
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, flat, r * x[r].length, x[r].length);
        }
        return flat;
    }

    private static double[][] embed(Step step, Layer.Embedding e, long[] tokens) {
        double[][] x = new double[tokens.length][e.dim()];
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= e.vocab()) {
                throw new OnnxBuildException("token id " + tokens[t] + " at position " + t
                        + " is outside the vocabulary [0, " + e.vocab() + ")");
            }
            for (int k = 0; k < e.dim(); k++) {
                x[t][k] = step.w()[(int) tokens[t] * e.dim() + k];
            }
        }
        return x;
    }

    private static double[] maskOf(long[] tokens, boolean maskZero) {
        double[] mask = new double[tokens.length];
        for (int t = 0; t < tokens.length; t++) {
            mask[t] = maskZero && tokens[t] == 0 ? 0.0 : 1.0;
        }
        return mask;
    }

    private static double[] dense(Step step, Layer.Dense d, double[] in) {
        double[] z = new double[d.units()];
        for (int j = 0; j < z.length; j++) {
            double sum = step.b()[j];
            for (int i = 0; i < in.length; i++) {
                sum += in[i] * step.w()[i * z.length + j];
            }
            z[j] = sum;
        }
        switch (d.activation()) {
            case LINEAR -> {}
            case RELU ->
                z = java.util.Arrays.stream(z).map(v -> Math.max(0.0, v)).toArray();
            case SIGMOID ->
                z = java.util.Arrays.stream(z)
                        .map(v -> 1.0 / (1.0 + Math.exp(-v)))
                        .toArray();
            case TANH -> z = java.util.Arrays.stream(z).map(Math::tanh).toArray();
            case SOFTMAX -> softmax(z);
        }
        return z;
    }

    private static void softmax(double[] z) {
        double max = java.util.Arrays.stream(z).max().orElse(0.0);
        double total = 0.0;
        for (int j = 0; j < z.length; j++) {
            z[j] = Math.exp(z[j] - max);
            total += z[j];
        }
        for (int j = 0; j < z.length; j++) {
            z[j] /= total;
        }
    }

    private static double[] average(double[][] x, double[] mask) {
        double[] sum = new double[x[0].length];
        double count = 0.0;
        for (int t = 0; t < x.length; t++) {
            double m = mask == null ? 1.0 : mask[t];
            count += m;
            for (int k = 0; k < sum.length; k++) {
                sum[k] += x[t][k] * m;
            }
        }
        double denominator = Math.max(count, 1.0);
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= denominator;
        }
        return sum;
    }

    private void requireInput(boolean integer) {
        InputType type = stack.spec().input().type();
        if ((type != InputType.FLOAT) != integer) {
            throw new OnnxBuildException("stack '" + stack.spec().name() + "' takes " + type + " input; call evaluate("
                    + (type == InputType.FLOAT ? "double[][]" : "long[][]") + ")");
        }
    }

    private void checkLength(int length, int row) {
        if (length != stack.spec().input().length()) {
            throw new OnnxBuildException("row " + row + " has length " + length + "; the stack's input length is "
                    + stack.spec().input().length());
        }
    }
}
