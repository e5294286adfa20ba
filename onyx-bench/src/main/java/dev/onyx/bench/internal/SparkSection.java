package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;

/** The Spark section, from the Spark benchmark's own JSON (the bench jar does not carry Spark); stateless. */
final class SparkSection {
    /** How to produce the Spark results, from the repository root. */
    static final String COMMAND = "onyx-spark/bench 2000 2 --json docs/benchmarks-spark.json";

    private SparkSection() {}

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
