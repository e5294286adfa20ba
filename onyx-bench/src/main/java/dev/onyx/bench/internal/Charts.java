package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Draws the report's PNG charts with XChart; stateless, so thread-safe. */
public final class Charts {
    public static final String THROUGHPUT = "throughput.png";
    public static final String LATENCY = "latency.png";

    private Charts() {}

    /** Writes the charts of the parts the run measured into {@code directory} (created if needed). */
    public static void write(BenchReport report, Path directory) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (!report.throughput().isEmpty()) {
            Files.createDirectories(directory);
            save(throughput(report), directory.resolve(THROUGHPUT));
        }
        if (report.latency().stream().anyMatch(l -> l.textsPerCall() == 1)) {
            Files.createDirectories(directory);
            save(latency(report), directory.resolve(LATENCY));
        }
    }

    static CategoryChart throughput(BenchReport report) {
        CategoryChart chart =
                base("Throughput, " + report.settings().texts() + " texts (higher is better)", "texts per second");
        List<String> names =
                report.throughput().stream().map(BenchReport.Throughput::name).toList();
        List<Double> rates = report.throughput().stream()
                .map(BenchReport.Throughput::textsPerSecond)
                .toList();
        chart.addSeries("texts/s", names, rates);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /** One-text calls: p50 and p95 per contender, for each mode measured. */
    static CategoryChart latency(BenchReport report) {
        CategoryChart chart = base("One-text call latency (lower is better)", "milliseconds");
        List<BenchReport.Latency> single =
                report.latency().stream().filter(l -> l.textsPerCall() == 1).toList();
        List<String> names =
                single.stream().map(BenchReport.Latency::name).distinct().toList();
        for (String mode :
                single.stream().map(BenchReport.Latency::mode).distinct().toList()) {
            List<BenchReport.Latency> ofMode =
                    names.stream().map(n -> find(single, n, mode)).toList();
            chart.addSeries(
                    "p50 " + mode,
                    names,
                    ofMode.stream().map(l -> l == null ? 0.0 : l.p50Millis()).toList());
            chart.addSeries(
                    "p95 " + mode,
                    names,
                    ofMode.stream().map(l -> l == null ? 0.0 : l.p95Millis()).toList());
        }
        return chart;
    }

    private static BenchReport.Latency find(List<BenchReport.Latency> latency, String name, String mode) {
        return latency.stream()
                .filter(l -> l.name().equals(name) && l.mode().equals(mode))
                .findFirst()
                .orElse(null);
    }

    private static CategoryChart base(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(800)
                .height(450)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    private static void save(CategoryChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
