package dev.onyx.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.spark.internal.ExecutorEmbedders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Spark {@code local[2]} against single-process Onyx on the same texts, and the per-executor model-load cost; prints a
 * Markdown table and, with {@code --json FILE}, writes the results as JSON for {@code ./onyx bench}'s report (which
 * does not carry Spark). A benchmark, not a test: run it with {@code onyx-spark/bench [TEXTS] [PASSES] [--json FILE]}.
 * One run per process.
 */
public final class SparkBenchmark {
    private static final int SQL_TEXTS = 500;

    private SparkBenchmark() {}

    /** The JSON the bench report reads ({@code dev.onyx.bench.BenchReport.Spark}: same field names). */
    private record Json(
            String command,
            String generatedAt,
            int texts,
            int passes,
            int cores,
            List<JsonRow> rows,
            double firstPassSeconds,
            double executorLoadSeconds,
            double reopenSeconds) {}

    private record JsonRow(String setup, int texts, double seconds, double textsPerSecond) {}

    private record Result(String setup, int texts, double bestSeconds) {
        JsonRow json() {
            return new JsonRow(setup, texts, round(bestSeconds, 100), round(texts / bestSeconds, 10));
        }

        String row() {
            return String.format(
                    Locale.ROOT, "| %s | %,d | %.2f | %.1f |", setup, texts, bestSeconds, texts / bestSeconds);
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>(List.of(args));
        Path json = null;
        int flag = positional.indexOf("--json");
        if (flag >= 0) {
            if (flag + 1 >= positional.size()) {
                throw new IllegalArgumentException("--json needs a file, e.g. --json docs/benchmarks-spark.json");
            }
            json = Path.of(positional.remove(flag + 1));
            positional.remove(flag);
        }
        int count = !positional.isEmpty() ? Integer.parseInt(positional.get(0)) : 2_000;
        int passes = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 2;
        List<String> texts = texts(count);
        SparkSession spark = LocalSpark.session();
        SparkEmbedOptions defaults = SparkEmbedOptions.defaults();
        SparkEmbedOptions allCores = defaults.withEmbedOptions(defaults.embedOptions()
                .withRuntime(defaults.embedOptions().runtime().withIntraOpThreads(0)));
        Dataset<Row> docs = docs(spark, texts, 2).cache();
        docs.count();

        // The first Spark pass opens the executor's embedder: a cold JVM's load (natives, session, warm-up).
        double coldSpark = seconds(() -> embedOnSpark(docs, defaults));
        double load = ExecutorEmbedders.opened(defaults.model(), defaults.plainEmbedOptions())
                        .loadNanos()
                / 1e9;
        double reopen = seconds(() -> reopen(defaults.embedOptions()));

        List<Result> results = new ArrayList<>();
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel(), EmbedOptions.defaults())) {
            results.add(best(
                    "single process, one call",
                    texts.size(),
                    passes,
                    () -> embedder.embed(texts).size()));
            results.add(best("single process, 256-text calls", texts.size(), passes, () -> inCalls(embedder, texts)));
        }
        results.add(best(
                "Spark local[2], OnyxSpark.embed (defaults: 1,024 rows per batch, 1 intra-op thread)",
                texts.size(),
                passes,
                () -> embedOnSpark(docs, defaults)));
        results.add(best(
                "Spark local[2], OnyxSpark.embed, intra-op threads = all cores",
                texts.size(),
                passes,
                () -> embedOnSpark(docs, allCores)));
        results.add(best(
                "Spark local[2], OnyxSpark.embed, 256 rows per batch",
                texts.size(),
                passes,
                () -> embedOnSpark(docs, defaults.withRowsPerBatch(256))));
        OnyxSpark.register(spark, defaults);
        docs(spark, texts.subList(0, Math.min(SQL_TEXTS, texts.size())), 2).createOrReplaceTempView("docs");
        results.add(best(
                "Spark local[2], SQL onyx_embed (row by row)",
                Math.min(SQL_TEXTS, texts.size()),
                1,
                () -> noop(spark.sql("SELECT onyx_embed(text) AS e FROM docs"))));
        spark.stop();

        System.out.printf(
                Locale.ROOT,
                "%n%d texts (State of the Union sentences), best of %d passes, %d cores%n%n",
                texts.size(),
                passes,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| setup | texts | seconds | texts/s |");
        System.out.println("|---|---:|---:|---:|");
        results.forEach(r -> System.out.println(r.row()));
        System.out.printf(Locale.ROOT, "%nfirst Spark pass (includes the executor's model load): %.1f s%n", coldSpark);
        System.out.printf(Locale.ROOT, "per-executor model load, first in its JVM: %.2f s%n", load);
        System.out.printf(Locale.ROOT, "model load again in a warm JVM (natives loaded): %.2f s%n", reopen);
        if (json != null) {
            Json out = new Json(
                    ("onyx-spark/bench " + String.join(" ", args)).strip(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    texts.size(),
                    passes,
                    Runtime.getRuntime().availableProcessors(),
                    results.stream().map(Result::json).toList(),
                    round(coldSpark, 100),
                    round(load, 100),
                    round(reopen, 100));
            Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
            System.out.println("wrote " + json);
        }
    }

    /** Rounded to 1/{@code scale}: the precision the report shows, so JSON and Markdown agree. */
    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }

    static List<String> texts(int count) {
        List<String> sentences = LocalSpark.sotuSentences();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(sentences.get(i % sentences.size()));
        }
        return texts;
    }

    private static Dataset<Row> docs(SparkSession spark, List<String> texts, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataset(jsc.parallelize(texts, partitions).rdd(), Encoders.STRING())
                .toDF("text");
    }

    private static long embedOnSpark(Dataset<Row> docs, SparkEmbedOptions options) {
        return noop(OnyxSpark.embed(docs, "text", "embedding", options));
    }

    /** Runs the whole plan, vectors included, into Spark's noop sink (a count() would prune the unused column). */
    private static long noop(Dataset<Row> result) {
        result.write().format("noop").mode(SaveMode.Overwrite).save();
        return 0;
    }

    private static long inCalls(Embedder embedder, List<String> texts) {
        long embedded = 0;
        for (int from = 0; from < texts.size(); from += 256) {
            embedded += embedder.embed(texts.subList(from, Math.min(texts.size(), from + 256)))
                    .size();
        }
        return embedded;
    }

    private static long reopen(EmbedOptions options) {
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel(), options)) {
            return embedder.dimension();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Result best(String setup, int texts, int passes, LongSupplier pass) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < passes; i++) {
            best = Math.min(best, seconds(pass));
        }
        return new Result(setup, texts, best);
    }

    private static double seconds(LongSupplier work) {
        long start = System.nanoTime();
        work.getAsLong();
        return (System.nanoTime() - start) / 1e9;
    }
}
