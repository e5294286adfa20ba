package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;
import dev.onyx.bench.Section;
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
            only(StandardSections::summary, Section.EMBED, Section.LATENCY),
            only(StandardSections::throughput, Section.EMBED),
            only(StandardSections::latency, Section.LATENCY),
            only(StandardSections::startupAndMemory, Section.EMBED),
            only(StandardSections::parity, Section.EMBED),
            only(StandardSections::method, Section.EMBED),
            OtherSections::export,
            OtherSections::neat,
            OtherSections::server,
            OtherSections::spark);

    private ReportWriter() {}

    /** Renders every section that has something to say (a section renders empty when its part did not run). */
    public static String render(BenchReport report) {
        return SECTIONS.stream()
                .map(s -> s.markdown(report).strip())
                .filter(markdown -> !markdown.isEmpty())
                .map(markdown -> markdown + "\n")
                .collect(Collectors.joining("\n"));
    }

    /** The section when the run measured any of {@code parts}, else nothing. */
    private static ReportSection only(ReportSection section, Section... parts) {
        return report -> java.util.Arrays.stream(parts).anyMatch(report::ran) ? section.markdown(report) : "";
    }

    /** Writes the Markdown report and, next to it in {@code benchmarks/}, its PNG charts. */
    public static void write(BenchReport report, Path markdown) throws IOException {
        Path dir = markdown.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Charts.write(report, dir.resolve("benchmarks"));
        String text = render(report);
        if (Files.isRegularFile(markdown)) { // onyx-spark/bench --cluster's part of the Spark section stays
            text = SparkSection.keepClusterPart(Files.readString(markdown, StandardCharsets.UTF_8), text);
        }
        Files.writeString(markdown, text, StandardCharsets.UTF_8);
    }
}
