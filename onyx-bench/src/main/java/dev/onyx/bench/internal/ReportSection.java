package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;

/**
 * One section of {@code docs/benchmarks.md}, rendered from a run's results; implementations are stateless, so
 * thread-safe. Add a section (ONNX export timings, NEAT, server figures) by implementing this and listing it in {@link
 * ReportWriter#SECTIONS}.
 */
public interface ReportSection {
    /** Markdown for the section, starting with its {@code ##} heading; charts are linked as {@code benchmarks/<file>}. */
    String markdown(BenchReport report);
}
