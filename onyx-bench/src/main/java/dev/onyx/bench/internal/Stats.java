package dev.onyx.bench.internal;

import java.util.Arrays;
import java.util.List;

/** Percentiles, medians and cosine similarity; stateless, so thread-safe. */
public final class Stats {
    private Stats() {}

    /** Nearest-rank percentile ({@code p} in (0, 100]) of unsorted samples. */
    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public static double min(double[] samples) {
        return Arrays.stream(samples).min().orElseThrow();
    }

    public static double mean(double[] samples) {
        return Arrays.stream(samples).average().orElseThrow();
    }

    /** Median of a non-empty list (the mean of the two middle values for an even count). */
    public static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Cosine similarity, accumulated in double. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors differ in length: " + a.length + " vs " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Cosine of each pair of rows. */
    public static double[] cosines(float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("row counts differ: " + a.length + " vs " + b.length);
        }
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = cosine(a[i], b[i]);
        return out;
    }

    /** Rounds to a number of decimals, so the JSON and the report show the same digits. */
    public static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
