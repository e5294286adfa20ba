package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Regenerates {@code docs/benchmarks.md} and its charts from a run's results; stateless, so thread-safe. The report is
 * the concatenation of {@link #SECTIONS}, in order: to add measurements (ONNX export, NEAT, server), add a section.
 */
public final class ReportWriter {
    /** The report's sections, in order. */
    public static final List<ReportSection> SECTIONS = List.of(
            StandardSections::header,
            StandardSections::summary,
            StandardSections::throughput,
            StandardSections::latency,
            StandardSections::startupAndMemory,
            StandardSections::parity,
            StandardSections::method);

    private ReportWriter() {}

    /** Renders every section. */
    public static String render(BenchReport report) {
        return SECTIONS.stream().map(s -> s.markdown(report).strip() + "\n").collect(Collectors.joining("\n"));
    }

    /** Writes the Markdown report and, next to it in {@code benchmarks/}, its PNG charts. */
    public static void write(BenchReport report, Path markdown) throws IOException {
        Path dir = markdown.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Charts.write(report, dir.resolve("benchmarks"));
        Files.writeString(markdown, render(report), StandardCharsets.UTF_8);
    }
}
