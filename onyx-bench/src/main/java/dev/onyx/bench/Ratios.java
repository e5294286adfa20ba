package dev.onyx.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The headline ratios of a run, computed from its throughput and latency entries only (so the report cannot claim what
 * the run did not measure); stateless.
 */
public final class Ratios {
    static final String ONYX = "onyx";
    static final String FLOOR = "floor";
    static final String FLOOR_FUSED = "floor-fused";
    static final String LANGCHAIN4J = "langchain4j";
    static final String INT8 = "onyx-int8";
    static final String INT8_OWN = "onyx-int8-own";
    static final String ADAPTER = "onyx-langchain4j";

    private Ratios() {}

    /** The throughput key {@code a / b throughput}. */
    public static String throughput(String a, String b) {
        return a + " / " + b + " throughput";
    }

    /** The latency key, e.g. {@code onyx / floor p95 latency, 1 text, solo}. */
    public static String latency(String a, String b, String percentile, int texts, String mode) {
        return "%s / %s %s latency, %d text%s, %s".formatted(a, b, percentile, texts, texts == 1 ? "" : "s", mode);
    }

    /** Every ratio whose two sides were measured. */
    public static Map<String, Double> of(List<BenchReport.Throughput> throughput, List<BenchReport.Latency> latency) {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, Double> rate = new LinkedHashMap<>();
        throughput.forEach(t -> rate.put(t.name(), t.textsPerSecond()));
        String[][] pairs = {
            {ONYX, FLOOR},
            {ONYX, FLOOR_FUSED},
            {FLOOR_FUSED, FLOOR},
            {ONYX, LANGCHAIN4J},
            {FLOOR, LANGCHAIN4J},
            {INT8, ONYX},
            {INT8_OWN, ONYX},
            {INT8_OWN, INT8},
            {ADAPTER, ONYX},
            {ADAPTER, LANGCHAIN4J}
        };
        for (String[] p : pairs) {
            if (rate.containsKey(p[0]) && rate.containsKey(p[1])) {
                out.put(throughput(p[0], p[1]), round(rate.get(p[0]) / rate.get(p[1]), 3));
            }
        }
        for (int texts : latency.stream()
                .map(BenchReport.Latency::textsPerCall)
                .distinct()
                .toList()) {
            for (String mode :
                    latency.stream().map(BenchReport.Latency::mode).distinct().toList()) {
                put(out, latency, ONYX, FLOOR, "p50", BenchReport.Latency::p50Millis, texts, mode);
                put(out, latency, ONYX, FLOOR, "p95", BenchReport.Latency::p95Millis, texts, mode);
                put(out, latency, ONYX, FLOOR_FUSED, "p95", BenchReport.Latency::p95Millis, texts, mode);
                put(out, latency, ONYX, LANGCHAIN4J, "p95", BenchReport.Latency::p95Millis, texts, mode);
            }
        }
        return out;
    }

    private static void put(
            Map<String, Double> out,
            List<BenchReport.Latency> latency,
            String a,
            String b,
            String percentile,
            ToDoubleFunction<BenchReport.Latency> value,
            int texts,
            String mode) {
        Optional<BenchReport.Latency> x = find(latency, a, texts, mode);
        Optional<BenchReport.Latency> y = find(latency, b, texts, mode);
        if (x.isPresent() && y.isPresent()) {
            out.put(
                    latency(a, b, percentile, texts, mode),
                    round(value.applyAsDouble(x.get()) / value.applyAsDouble(y.get()), 3));
        }
    }

    private static Optional<BenchReport.Latency> find(
            List<BenchReport.Latency> latency, String name, int texts, String mode) {
        return latency.stream()
                .filter(l -> l.name().equals(name)
                        && l.textsPerCall() == texts
                        && l.mode().equals(mode))
                .findFirst();
    }

    /** Rounds to a number of decimals, so the JSON and the report show the same digits. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
