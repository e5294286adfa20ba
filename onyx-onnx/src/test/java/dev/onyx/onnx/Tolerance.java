package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The float32-vs-double comparison used by the round-trip tests; test helper, stateless.
 *
 * <p>Bound: {@code |onnx - java| <= 1e-5 * max(1, |java|) + 10 * sensitivity}. The first term is 1e-5 absolute for
 * values up to 1 in magnitude and 1e-5 relative beyond (float32 carries ~7 significant digits, so an absolute bound
 * cannot hold for the large values exp, cube, square and inv produce). {@code sensitivity} is how far the double
 * evaluation moves when every weight and bias is perturbed by up to 1e-6 relative (~16 float32 ulps); it is ~0 for
 * well-conditioned values and only matters next to the poles of {@code inv} and {@code log}, where any float32
 * implementation must differ from the double one. NaN must match NaN.
 */
final class Tolerance {
    static final double BOUND = 1e-5;

    private Tolerance() {}

    static boolean close(double actual, double expected, double sensitivity) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= BOUND * Math.max(1.0, Math.abs(expected)) + 10 * sensitivity;
    }

    static boolean close(double actual, double expected) {
        return close(actual, expected, 0.0);
    }

    /** Asserts every element is close; returns how many needed the sensitivity term. */
    static int assertClose(float[] actual, double[] expected, double[] sensitivity, String what) {
        assertThat(actual).as("%s: length", what).hasSize(expected.length);
        int widened = 0;
        for (int i = 0; i < expected.length; i++) {
            if (!close(actual[i], expected[i], sensitivity[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + " in ONNX Runtime but "
                        + expected[i] + " in the Java evaluation (bound 1e-5 * max(1, |expected|) + 10 * "
                        + sensitivity[i] + ")");
            }
            widened += close(actual[i], expected[i]) ? 0 : 1;
        }
        return widened;
    }

    static void assertClose(float[] actual, double[] expected, String what) {
        assertClose(actual, expected, new double[expected.length], what);
    }
}
