package dev.onyx.spark;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code EmbedJob} on a standalone cluster ({@code onyx-spark/cluster}: 1 worker × 2 cores, then 2 workers × 1 core)
 * against single-process Onyx on the same texts, and each executor's model-load time; rewrites the part of the report
 * between {@link #BEGIN} and {@link #END} (added at the end of its "Spark" section when missing) and nothing else. A
 * benchmark, not a test: run it with {@code onyx-spark/bench --cluster [TEXTS] [PASSES] [--report FILE]} from the
 * repository root. One run per process.
 */
public final class SparkClusterBenchmark {
    static final String BEGIN = "<!-- onyx-spark/bench --cluster: begin (generated, do not edit) -->";
    static final String END = "<!-- onyx-spark/bench --cluster: end -->";
    private static final Pattern JOB =
            Pattern.compile("Job \\d+ finished: .*?, took ([0-9.]+) (s|ms)$", Pattern.MULTILINE);
    private static final Pattern SUBMISSION =
            Pattern.compile("cluster: submission (\\d+) exited with (\\d+) after ([0-9.]+) s");
    private static final Pattern OPENED = Pattern.compile("onyx: executor opened model \\S+ in (\\d+) ms");

    private SparkClusterBenchmark() {}

    /** One cluster shape's best submission: Spark's write job and spark-submit's whole run. */
    private record Shape(String name, double jobSeconds, double submitSeconds, List<Long> loadMillis) {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>(List.of(args));
        Path report = Path.of("docs/benchmarks.md");
        int flag = positional.indexOf("--report");
        if (flag >= 0) {
            report = Path.of(positional.remove(flag + 1));
            positional.remove(flag);
        }
        int count = !positional.isEmpty() ? Integer.parseInt(positional.get(0)) : 2_000;
        int passes = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 2;
        Path dir = Path.of("onyx-spark/target/cluster-bench").toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        List<String> texts = SparkBenchmark.texts(count);
        Path input = Files.write(dir.resolve("texts.txt"), texts);

        double single = Double.MAX_VALUE;
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel(), EmbedOptions.defaults())) {
            embedder.embed(texts.subList(0, Math.min(64, texts.size()))); // warm-up
            for (int i = 0; i < passes; i++) {
                long start = System.nanoTime();
                embedder.embed(texts);
                single = Math.min(single, (System.nanoTime() - start) / 1e9);
            }
        }
        List<Shape> shapes = List.of(
                cluster(dir, "1 worker × 2 cores", 1, 2, input, passes),
                cluster(dir, "2 workers × 1 core", 2, 1, input, passes));

        String command = ("onyx-spark/bench --cluster " + String.join(" ", args)).strip();
        String markdown = render(command, texts.size(), passes, single, shapes);
        System.out.println(markdown);
        Files.writeString(report, splice(Files.readString(report), markdown), StandardCharsets.UTF_8);
        System.out.println("rewrote the cluster part of " + report + "'s Spark section");
    }

    /** Runs PASSES submissions of the job on one cluster of this shape; keeps the fastest. */
    private static Shape cluster(Path dir, String name, int workers, int cores, Path input, int passes)
            throws Exception {
        Path work = dir.resolve(workers + "x" + cores);
        List<String> command = new ArrayList<>(List.of(
                "bash",
                "onyx-spark/cluster",
                String.valueOf(workers),
                "--cores",
                String.valueOf(cores),
                "--work-dir",
                work.toString()));
        for (int i = 1; i <= passes; i++) {
            if (i > 1) {
                command.add("--next");
            }
            command.addAll(List.of(
                    "--",
                    "--input",
                    input.toString(),
                    "--output",
                    work.resolve("out-" + i).toString(),
                    "--partitions",
                    String.valueOf(2 * workers * cores)));
        }
        Files.createDirectories(work);
        Process process = new ProcessBuilder(command)
                .redirectOutput(work.resolve("cluster.out").toFile())
                .redirectError(work.resolve("cluster.err").toFile())
                .start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroy();
            throw new IllegalStateException(name + ": the cluster run failed; see " + work);
        }
        String out = Files.readString(work.resolve("cluster.out"));
        double job = Double.MAX_VALUE, submit = Double.MAX_VALUE;
        List<Long> loads = new ArrayList<>();
        Matcher m = SUBMISSION.matcher(out);
        while (m.find()) {
            int k = Integer.parseInt(m.group(1));
            submit = Math.min(submit, Double.parseDouble(m.group(3)));
            // the jobs of one submission run one after another: their sum is Spark's time for the embedding and the
            // write (Spark 3.5 logs one write job in seconds; Spark 4's adaptive execution splits it, in milliseconds)
            Matcher j = JOB.matcher(Files.readString(work.resolve("submit-" + k + ".err")));
            double jobs = 0;
            boolean any = false;
            while (j.find()) {
                jobs += Double.parseDouble(j.group(1)) / (j.group(2).equals("ms") ? 1000 : 1);
                any = true;
            }
            if (!any) {
                throw new IllegalStateException(name + ": no job's time in " + work.resolve("submit-" + k + ".err"));
            }
            job = Math.min(job, jobs);
            for (String folder : Files.readAllLines(work.resolve("submit-" + k + ".dirs"))) {
                if (folder.contains("/app-")) {
                    try (Stream<Path> files = Files.walk(Path.of(folder))) {
                        for (Path stderr :
                                files.filter(p -> p.endsWith("stderr")).sorted().toList()) {
                            Matcher o = OPENED.matcher(Files.readString(stderr));
                            while (o.find()) {
                                loads.add(Long.parseLong(o.group(1)));
                            }
                        }
                    }
                }
            }
        }
        if (job == Double.MAX_VALUE) {
            throw new IllegalStateException(name + ": no submission finished; see " + work);
        }
        return new Shape(name, job, submit, loads);
    }

    static String render(String command, int texts, int passes, double single, List<Shape> shapes) {
        StringBuilder b = new StringBuilder(BEGIN).append("\n\n### On a standalone cluster\n\n");
        b.append("""
                What it measures: `EmbedJob` (text in, Parquet out, bundled model, defaults) submitted with spark-submit \
                in client deploy mode to a standalone cluster on this machine (`onyx-spark/cluster`: Master, Workers and \
                executors each in their own JVM), against single-process Onyx (`Embedder.embed` of all texts in one \
                call, all cores) on the same texts. *Job*: the Spark jobs of the submission as the driver logs them, \
                summed (tasks, executor model load, Parquet writing, the row count; not the JVM starts). *Submission*: spark-submit from start to exit \
                (driver start, executor launch, job, row count). Reproduce with:

                ```
                %s
                ```

                Run at %s: %,d texts, best of %d submissions per cluster, %d cores.

                | Setup | texts | seconds | texts/s | vs single process |
                |---|---:|---:|---:|---:|
                """.formatted(
                        command,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        texts,
                        passes,
                        Runtime.getRuntime().availableProcessors()));
        b.append(row("single process, one call", texts, single, single));
        for (Shape s : shapes) {
            b.append(row(s.name() + ", job", texts, s.jobSeconds(), single));
            b.append(row(s.name() + ", submission", texts, s.submitSeconds(), single));
        }
        b.append("\nPer-executor model load (each executor JVM's first open, from its `onyx: executor opened model` "
                + "line), every submission:\n\n");
        for (Shape s : shapes) {
            b.append("- %s: %s ms.\n"
                    .formatted(
                            s.name(),
                            String.join(
                                    ", ",
                                    s.loadMillis().stream().map(String::valueOf).toList())));
        }
        return b.append('\n').append(END).append('\n').toString();
    }

    private static String row(String setup, int texts, double seconds, double single) {
        return String.format(
                Locale.ROOT,
                "| %s | %,d | %.2f | %.1f | %.2f× |%n",
                setup,
                texts,
                seconds,
                texts / seconds,
                single / seconds);
    }

    /**
     * The report with the generated part replaced: between the markers when they exist, else at the end of the "##
     * Spark" section; fails when there is no Spark section.
     */
    static String splice(String report, String generated) {
        int begin = report.indexOf(BEGIN);
        int end = report.indexOf(END);
        if (begin >= 0 && end > begin) {
            int after = report.indexOf('\n', end);
            return report.substring(0, begin) + generated + (after < 0 ? "" : report.substring(after + 1));
        }
        int spark = report.indexOf("\n## Spark");
        if (spark < 0) {
            throw new IllegalStateException("the report has no '## Spark' section to add the cluster results to");
        }
        int next = report.indexOf("\n## ", spark + 1);
        int at = next < 0 ? report.length() : next + 1;
        String before = report.substring(0, at);
        return before
                + (before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n")
                + generated
                + (next < 0 ? "" : "\n" + report.substring(at));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
