package dev.onyx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RatiosTest {
    private static BenchReport.Throughput rate(String name, double textsPerSecond) {
        return new BenchReport.Throughput(name, textsPerSecond, 0, 0, List.of(1.0), List.of(0.0));
    }

    private static BenchReport.Latency latency(String name, String mode, int texts, double p50, double p95) {
        return new BenchReport.Latency(name, mode, texts, 10, p50, p95, p95, p50, 0, List.of());
    }

    @Test
    void throughputRatiosComeFromTheMeasuredRatesOnly() {
        Map<String, Double> q = Ratios.of(
                List.of(rate("onyx", 150), rate("floor", 100), rate("floor-fused", 120), rate("langchain4j", 75)),
                List.of());

        assertThat(q)
                .containsEntry("onyx / floor throughput", 1.5)
                .containsEntry("onyx / floor-fused throughput", 1.25)
                .containsEntry("floor-fused / floor throughput", 1.2)
                .containsEntry("onyx / langchain4j throughput", 2.0)
                .containsEntry("floor / langchain4j throughput", 1.333)
                .doesNotContainKey("onyx-int8 / onyx throughput"); // int8 did not run: no ratio, no claim
    }

    @Test
    void latencyRatiosPairTheSameCallSizeAndMode() {
        Map<String, Double> q = Ratios.of(
                List.of(),
                List.of(
                        latency("onyx", "rotated", 1, 10, 20),
                        latency("floor", "rotated", 1, 8, 16),
                        latency("onyx", "solo", 1, 6, 9),
                        latency("floor", "solo", 1, 6, 10),
                        latency("onyx", "solo", 10, 60, 90),
                        latency("floor", "solo", 10, 50, 100)));

        assertThat(q)
                .containsEntry("onyx / floor p50 latency, 1 text, rotated", 1.25)
                .containsEntry("onyx / floor p95 latency, 1 text, rotated", 1.25)
                .containsEntry("onyx / floor p50 latency, 1 text, solo", 1.0)
                .containsEntry("onyx / floor p95 latency, 1 text, solo", 0.9)
                .containsEntry("onyx / floor p50 latency, 10 texts, solo", 1.2)
                .containsEntry("onyx / floor p95 latency, 10 texts, solo", 0.9)
                .doesNotContainKey("onyx / floor p95 latency, 10 texts, rotated")
                .doesNotContainKey("onyx / langchain4j p95 latency, 1 text, solo");
    }
}
