package dev.onyx.onnx;

import java.nio.FloatBuffer;

/**
 * What calibration saw of one activation tensor: exact minimum and maximum, and a histogram of magnitudes per sign
 * with 64 log-spaced bins per octave (the float's exponent and top 6 mantissa bits, so a value lands in its bin
 * without a logarithm; a bin is at most 1.1 % wide), from which {@link #range(CalibrationMethod)} reads percentiles.
 * Not thread-safe: one calibration thread feeds it (or guard it); merge per-thread copies with {@link #add(ActivationStatistics)}.
 */
public final class ActivationStatistics {
    private static final int SHIFT = 17; // 23 mantissa bits - 6 kept
    private static final int BINS = 1 << (31 - SHIFT);

    private final long[] positive = new long[BINS];
    private final long[] negative = new long[BINS];
    private long count;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private float[] channelMin;
    private float[] channelMax;

    /** Adds every value from the buffer's position to its limit (the position is left unchanged). */
    public void add(FloatBuffer values) {
        int end = values.limit();
        float lo = min;
        float hi = max;
        for (int i = values.position(); i < end; i++) {
            float x = values.get(i);
            if (x != x) continue; // NaN carries no range
            int bits = Float.floatToRawIntBits(x);
            int bin = (bits & 0x7fffffff) >>> SHIFT;
            if (bits < 0) negative[bin]++;
            else positive[bin]++;
            if (x < lo) lo = x;
            if (x > hi) hi = x;
        }
        min = lo;
        max = hi;
        count += end - values.position();
    }

    /**
     * Adds every value and also tracks the range of each channel of the last axis ({@code channels} values per row,
     * row-major), which smoothing ({@link Quantizer.Settings#smoothing()}) needs.
     *
     * @throws IllegalArgumentException when the buffer does not hold whole rows, or the channel count changed
     */
    public void add(FloatBuffer values, int channels) {
        int n = values.limit() - values.position();
        if (channels < 1 || n % channels != 0) {
            throw new IllegalArgumentException(n + " values are not whole rows of " + channels + " channels");
        }
        if (channelMin == null) {
            channelMin = new float[channels];
            channelMax = new float[channels];
            java.util.Arrays.fill(channelMin, Float.POSITIVE_INFINITY);
            java.util.Arrays.fill(channelMax, Float.NEGATIVE_INFINITY);
        } else if (channelMin.length != channels) {
            throw new IllegalArgumentException("channel count changed from " + channelMin.length + " to " + channels);
        }
        int base = values.position();
        for (int i = 0; i < n; i++) {
            float x = values.get(base + i);
            int c = i % channels;
            if (x < channelMin[c]) channelMin[c] = x;
            if (x > channelMax[c]) channelMax[c] = x;
        }
        add(values);
    }

    /** Per-channel minima of the last axis, or empty when no values were added with a channel count. */
    public float[] channelMin() {
        return channelMin == null ? new float[0] : channelMin.clone();
    }

    /** Per-channel maxima of the last axis, or empty when no values were added with a channel count. */
    public float[] channelMax() {
        return channelMax == null ? new float[0] : channelMax.clone();
    }

    /** Adds another statistics' counts into this one. */
    public void add(ActivationStatistics other) {
        for (int i = 0; i < BINS; i++) {
            positive[i] += other.positive[i];
            negative[i] += other.negative[i];
        }
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        if (other.channelMin != null) {
            if (channelMin == null) {
                channelMin = other.channelMin.clone();
                channelMax = other.channelMax.clone();
            } else if (channelMin.length == other.channelMin.length) {
                for (int c = 0; c < channelMin.length; c++) {
                    channelMin[c] = Math.min(channelMin[c], other.channelMin[c]);
                    channelMax[c] = Math.max(channelMax[c], other.channelMax[c]);
                }
            } else {
                throw new IllegalArgumentException(
                        "channel counts differ: " + channelMin.length + " and " + other.channelMin.length);
            }
        }
    }

    /** Values seen. */
    public long count() {
        return count;
    }

    /** Smallest value seen (+∞ before any). */
    public float min() {
        return min;
    }

    /** Largest value seen (-∞ before any). */
    public float max() {
        return max;
    }

    /**
     * The range to quantize to: [min, max] for {@link CalibrationMethod#MIN_MAX}; otherwise each side clipped where
     * the fraction of all values beyond it first drops to {@code 1 - keep} (the upper edge of that histogram bin, never
     * beyond the exact extreme).
     *
     * @throws IllegalStateException when nothing was added
     */
    public ActivationRange range(CalibrationMethod method) {
        if (count == 0) throw new IllegalStateException("no values were added");
        if (method == CalibrationMethod.MIN_MAX) return new ActivationRange(Math.min(min, 0f), Math.max(max, 0f));
        long tail = (long) Math.floor(count * (1 - method.keep()));
        float hi = Math.min(max, edge(positive, tail));
        float lo = Math.max(min, -edge(negative, tail));
        return new ActivationRange(Math.min(lo, 0f), Math.max(hi, 0f));
    }

    /** Upper edge of the bin where the count of larger magnitudes first exceeds {@code tail}. */
    private static float edge(long[] histogram, long tail) {
        long beyond = 0;
        for (int bin = BINS - 1; bin >= 0; bin--) {
            beyond += histogram[bin];
            if (beyond > tail) {
                return bin + 1 >= BINS ? Float.MAX_VALUE : Float.intBitsToFloat((bin + 1) << SHIFT);
            }
        }
        return 0f;
    }
}
