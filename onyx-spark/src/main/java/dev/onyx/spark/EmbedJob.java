package dev.onyx.spark;

import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.util.Locale;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The example Spark job: reads texts (a text file, one per line, or Parquet), embeds them and writes Parquet with the
 * input columns plus {@code embedding} (or JSON lines with {@code --output-format json}). A {@code main} for {@code spark-submit}; each run is one process, so there is no
 * shared state to guard.
 *
 * <pre>
 * spark-submit --class dev.onyx.spark.EmbedJob onyx-spark-job.jar \
 *     --input corpus.txt --output vectors.parquet [--format text|parquet] [--output-format parquet|json]
 *     [--text-column text]
 *     [--model NAME|DIR|sparkfiles:NAME] [--quantize int8] [--partitions N] [--rows-per-batch N]
 * </pre>
 *
 * <p>{@code --quantize int8} (or a model ending in {@code ?quantize=int8}) embeds with Onyx's int8 copy of the model:
 * each executor machine makes it once in its Onyx cache (the first task to need it; concurrent executors wait for it)
 * and every later task and job reuses it.
 */
public final class EmbedJob {
    static final String USAGE = "usage: EmbedJob --input PATH --output PATH [--format text|parquet]"
            + " [--output-format parquet|json]"
            + " [--text-column NAME] [--model NAME|DIR|sparkfiles:NAME] [--quantize int8] [--partitions N]"
            + " [--rows-per-batch N]";

    private EmbedJob() {}

    /** Input file formats the job reads. */
    public enum Format {
        /** One text per line; the job names the column {@code text} and adds an increasing {@code id}. */
        TEXT,
        /** Parquet with a string column (default {@code text}); its columns are kept. */
        PARQUET;

        static Format parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new OnyxException("--format must be text or parquet, was '" + value + "'");
            }
        }
    }

    /** Output formats the job writes; either way the output is committed as a whole or not at all. */
    public enum OutputFormat {
        /** Parquet: the input columns plus {@code embedding} as {@code array<float>}. */
        PARQUET,
        /** JSON lines (one object per row, Spark's JSON data source); a null embedding is left out of its line. */
        JSON;

        static OutputFormat parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new OnyxException("--output-format must be parquet or json, was '" + value + "'");
            }
        }
    }

    /**
     * The job's arguments; an immutable record.
     *
     * @param partitions partitions to embed in; 0 keeps the input's
     */
    public record Arguments(
            String input,
            String output,
            Format format,
            OutputFormat outputFormat,
            String textColumn,
            String model,
            int partitions,
            int rowsPerBatch) {
        public Arguments {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(outputFormat, "outputFormat");
            Objects.requireNonNull(textColumn, "textColumn");
            Objects.requireNonNull(model, "model");
            if (partitions < 0) {
                throw new OnyxException("--partitions must be 0 (keep the input's) or more, was " + partitions);
            }
        }

        /**
         * Parses {@code --name value} pairs.
         *
         * @throws OnyxException naming an unknown option, a missing value or a missing required option, with the usage
         */
        public static Arguments parse(String... args) {
            String input = null, output = null, textColumn = "text", model = ModelSource.DEFAULT_MODEL;
            Format format = Format.TEXT;
            OutputFormat outputFormat = OutputFormat.PARQUET;
            int partitions = 0, rowsPerBatch = SparkEmbedOptions.defaults().rowsPerBatch();
            ModelPrecision quantize = null;
            for (int i = 0; i < args.length; i += 2) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new OnyxException("option " + name + " needs a value; " + USAGE);
                }
                String value = args[i + 1];
                switch (name) {
                    case "--input" -> input = value;
                    case "--output" -> output = value;
                    case "--format" -> format = Format.parse(value);
                    case "--output-format" -> outputFormat = OutputFormat.parse(value);
                    case "--text-column" -> textColumn = value;
                    case "--model" -> model = value;
                    case "--quantize" -> quantize = quantization(value);
                    case "--partitions" -> partitions = parseInt(name, value);
                    case "--rows-per-batch" -> rowsPerBatch = parseInt(name, value);
                    default -> throw new OnyxException("unknown option '" + name + "'; " + USAGE);
                }
            }
            if (input == null || output == null) {
                throw new OnyxException("--input and --output are required; " + USAGE);
            }
            if (quantize != null) {
                model = SparkEmbedOptions.defaults()
                        .withModel(model)
                        .withQuantize(quantize)
                        .model();
            }
            return new Arguments(input, output, format, outputFormat, textColumn, model, partitions, rowsPerBatch);
        }

        private static ModelPrecision quantization(String value) {
            try {
                return ModelPrecision.parseQuantization(value);
            } catch (OnyxException e) {
                throw new OnyxException("--quantize: " + e.getMessage());
            }
        }

        private static int parseInt(String name, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new OnyxException(name + " must be a whole number, was '" + value + "'");
            }
        }

        SparkEmbedOptions options() {
            return SparkEmbedOptions.defaults().withModel(model).withRowsPerBatch(rowsPerBatch);
        }
    }

    public static void main(String[] args) {
        Arguments arguments = Arguments.parse(args);
        SparkSession spark = SparkSession.builder().appName("onyx-embed").getOrCreate();
        try {
            long rows = run(spark, arguments);
            System.out.println("onyx: embedded " + rows + " rows into " + arguments.output());
        } finally {
            spark.stop();
        }
    }

    /** Runs the job in a session the caller owns; returns the number of rows written. Fails if the output exists. */
    public static long run(SparkSession spark, Arguments arguments) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(arguments, "arguments");
        Dataset<Row> input = read(spark, arguments);
        if (arguments.partitions() > 0) {
            // Round-robin: even partitions for the executors; the text format's id column still carries the line order.
            input = input.repartition(arguments.partitions());
        }
        // ErrorIfExists: an existing output is refused before anything is embedded; Spark's commit protocol writes
        // into a temporary folder and publishes the files only when every task has succeeded.
        var writer = OnyxSpark.embed(input, arguments.textColumn(), "embedding", arguments.options())
                .write()
                .mode(SaveMode.ErrorIfExists);
        return switch (arguments.outputFormat()) {
            case PARQUET -> {
                writer.parquet(arguments.output());
                yield spark.read().parquet(arguments.output()).count(); // from the footers: no second pass
            }
            case JSON -> {
                writer.json(arguments.output());
                yield spark.read().text(arguments.output()).count(); // one line per row
            }
        };
    }

    private static Dataset<Row> read(SparkSession spark, Arguments arguments) {
        return switch (arguments.format()) {
            case TEXT ->
                spark.read()
                        .text(arguments.input())
                        .withColumnRenamed("value", arguments.textColumn())
                        .withColumn("id", functions.monotonically_increasing_id())
                        .select("id", arguments.textColumn());
            case PARQUET -> spark.read().parquet(arguments.input());
        };
    }
}
