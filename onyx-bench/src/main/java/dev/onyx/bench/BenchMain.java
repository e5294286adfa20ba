package dev.onyx.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.onyx.bench.internal.ReportWriter;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of {@code onyx bench} (the {@code onyx-bench.jar} main class): runs {@link MacroBenchmark}, prints a
 * table, writes the JSON results (with the Spark benchmark's, when its file exists) and regenerates the Markdown report
 * with its charts. Stateless.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code (0 done, 1 failed, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Locale.setDefault(Locale.ROOT);
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(BenchOptions.USAGE);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (OnyxException e) {
            err.println("onyx bench: " + e.getMessage());
            return 2;
        }
        try {
            if (options.renderFrom().isPresent()) {
                BenchReport report =
                        new ObjectMapper().readValue(options.renderFrom().get().toFile(), BenchReport.class);
                if (report.spark().rows().isEmpty()) {
                    report = report.withSpark(readSpark(options.sparkResults()));
                }
                ReportWriter.write(report, options.report());
                out.println("rendered " + options.report() + " and its charts from "
                        + options.renderFrom().get());
                return 0;
            }
            String command = ("onyx bench " + String.join(" ", args)).strip();
            BenchReport report =
                    new MacroBenchmark(options, out).run(command).withSpark(readSpark(options.sparkResults()));
            print(report, out);
            writeJson(report, options.json());
            ReportWriter.write(report, options.report());
            out.println("wrote " + options.json() + ", " + options.report() + " and " + options.chartDirectory());
            return 0;
        } catch (IOException | RuntimeException e) { // the edge: report any failure as one line and an exit code
            err.println("onyx bench: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** The Spark benchmark's results when {@code file} exists, else {@link BenchReport.Spark#NONE}. */
    static BenchReport.Spark readSpark(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return BenchReport.Spark.NONE;
        }
        return new ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(file.toFile(), BenchReport.Spark.class);
    }

    static void writeJson(BenchReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    }

    static void print(BenchReport report, PrintStream out) {
        if (!report.throughput().isEmpty()) {
            out.printf("%n%-14s %10s %12s%n", "contender", "texts/s", "tokens/s");
            for (BenchReport.Throughput t : report.throughput()) {
                out.printf("%-14s %10.1f %12.0f%n", t.name(), t.textsPerSecond(), t.tokensPerSecond());
            }
        }
        if (!report.latency().isEmpty()) {
            out.printf("%n%-14s %5s %-8s %9s %9s %9s%n", "latency", "texts", "mode", "p50 ms", "p95 ms", "p99 ms");
            for (BenchReport.Latency l : report.latency()) {
                out.printf(
                        "%-14s %5d %-8s %9.3f %9.3f %9.3f%n",
                        l.name(), l.textsPerCall(), l.mode(), l.p50Millis(), l.p95Millis(), l.p99Millis());
            }
        }
        out.println();
        for (Map.Entry<String, Double> e : report.ratios().entrySet()) {
            out.printf("%-52s %8.3f%n", e.getKey(), e.getValue());
        }
        for (BenchReport.Parity p : report.parity()) {
            out.printf("%-36s min %.6f mean %.6f%n", p.name(), p.minCosine(), p.meanCosine());
        }
        if (report.ran(Section.EMBED)) {
            out.printf(
                    "open -> first embedding %.1f ms (again %.1f ms); bench peak RSS %d MB%n",
                    report.startup().firstOpenMillis(),
                    report.startup().secondOpenMillis(),
                    report.memory().benchPeakRssBytes() >> 20);
        }
    }
}
