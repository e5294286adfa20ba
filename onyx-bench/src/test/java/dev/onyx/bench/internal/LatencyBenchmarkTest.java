package dev.onyx.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.bench.BenchReport.Latency;
import dev.onyx.bench.BenchReport.ProcessLatency;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyBenchmarkTest {
    @Test
    void aSoloRowIsTheMedianOfItsProcessesFigureByFigureAndKeepsThemAll() {
        List<ProcessLatency> processes = List.of(
                new ProcessLatency(5.0, 9.0, 14.0, 6.0, 0.1),
                new ProcessLatency(6.0, 7.0, 30.0, 5.5, 0.4),
                new ProcessLatency(5.5, 12.0, 11.0, 7.0, 0.2));

        Latency l = LatencyBenchmark.median("onyx", 1, 500, processes);

        // each figure's own median: an unlucky process's tail (12.0) does not decide the p95
        assertThat(l.p50Millis()).isEqualTo(5.5);
        assertThat(l.p95Millis()).isEqualTo(9.0);
        assertThat(l.p99Millis()).isEqualTo(14.0);
        assertThat(l.meanMillis()).isEqualTo(6.0);
        assertThat(l.otherCores()).isEqualTo(0.4);
        assertThat(l.mode()).isEqualTo(LatencyBenchmark.SOLO);
        assertThat(l.calls()).isEqualTo(500);
        assertThat(l.processes()).containsExactlyElementsOf(processes);
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwo() {
        Latency l = LatencyBenchmark.median(
                "floor",
                10,
                100,
                List.of(new ProcessLatency(100, 140, 150, 110, 0), new ProcessLatency(120, 150, 170, 130, 0)));

        assertThat(l.p50Millis()).isEqualTo(110);
        assertThat(l.p95Millis()).isEqualTo(145);
    }
}
