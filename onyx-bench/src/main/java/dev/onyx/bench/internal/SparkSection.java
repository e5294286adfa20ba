package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;

/** The Spark section, from the Spark benchmark's own JSON (the bench jar does not carry Spark); stateless. */
final class SparkSection {
    /** How to produce the Spark results, from the repository root. */
    static final String COMMAND = "onyx-spark/bench 2000 2 --json docs/benchmarks-spark.json";

    /**
     * The markers around the part {@code onyx-spark/bench --cluster} writes into the report's Spark section (the same
     * strings as its {@code SparkClusterBenchmark}); this report carries that part over from the file it replaces.
     */
    static final String CLUSTER_BEGIN = "<!-- onyx-spark/bench --cluster: begin (generated, do not edit) -->";

    static final String CLUSTER_END = "<!-- onyx-spark/bench --cluster: end -->";

    private SparkSection() {}

    /**
     * {@code fresh} with the cluster part of {@code previous} (the report being replaced) at the end of its Spark
     * section; {@code fresh} unchanged when {@code previous} has no such part or {@code fresh} no Spark section.
     */
    static String keepClusterPart(String previous, String fresh) {
        int begin = previous.indexOf(CLUSTER_BEGIN);
        int end = previous.indexOf(CLUSTER_END);
        int spark = fresh.indexOf("## Spark");
        if (begin < 0 || end < begin || spark < 0 || fresh.contains(CLUSTER_BEGIN)) {
            return fresh;
        }
        String part = previous.substring(begin, end + CLUSTER_END.length()) + "\n";
        int next = fresh.indexOf("\n## ", spark);
        int at = next < 0 ? fresh.length() : next + 1;
        String before = fresh.substring(0, at);
        String gap = before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
        return before + gap + part + (next < 0 ? "" : "\n" + fresh.substring(at));
    }

    static String render(BenchReport.Spark spark) {
        StringBuilder b = new StringBuilder("""
                ## Spark (`onyx-spark`)

                What it measures: `OnyxSpark.embed` and the SQL function `onyx_embed` on Spark `local[2]` against
                single-process Onyx on the same State of the Union sentences (best pass of several), and the
                per-executor model-load cost. Spark is not part of the bench jar, so this runs on its own and writes
                JSON that `./onyx bench` (or `./onyx bench --render docs/benchmarks.json`) folds in:

                ```
                %s
                ```
                """.formatted(COMMAND));
        if (spark.rows().isEmpty()) {
            return b.append(
                            "\nNot measured for this report: no `benchmarks-spark.json` next to it. Run the command above,")
                    .append(" then rerun or re-render this report.\n")
                    .toString();
        }
        b.append("\nRun `%s` at %s: %,d texts, best of %d passes, %d cores.\n\n"
                .formatted(spark.command(), spark.generatedAt(), spark.texts(), spark.passes(), spark.cores()));
        b.append("| Setup | texts | seconds | texts/s |\n|---|---:|---:|---:|\n");
        for (BenchReport.SparkRow row : spark.rows()) {
            b.append("| %s | %,d | %.2f | %.1f |\n"
                    .formatted(row.setup(), row.texts(), row.seconds(), row.textsPerSecond()));
        }
        b.append("""

                - First Spark pass (includes the executor's model load): %.2f s.
                - Per-executor model load, first in its JVM: %.2f s; again in a warm JVM (natives loaded): %.2f s.
                """.formatted(spark.firstPassSeconds(), spark.executorLoadSeconds(), spark.reopenSeconds()));
        BenchReport.SparkRow first = spark.rows().get(0);
        spark.rows().stream()
                .skip(1)
                .max(java.util.Comparator.comparingDouble(BenchReport.SparkRow::textsPerSecond))
                .ifPresent(best -> b.append("- Fastest of the other setups: %s, %.1f texts/s, %.2f× `%s`.\n"
                        .formatted(
                                best.setup(),
                                best.textsPerSecond(),
                                best.textsPerSecond() / first.textsPerSecond(),
                                first.setup())));
        return b.toString();
    }
}
