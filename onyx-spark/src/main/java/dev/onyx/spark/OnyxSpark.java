package dev.onyx.spark;

import dev.onyx.runtime.OnyxException;
import dev.onyx.spark.internal.EmbedPartition;
import dev.onyx.spark.internal.EmbedUdf;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Onyx embeddings on Apache Spark: a Dataset transformation and a SQL function. Stateless static methods, safe from any
 * thread; the embedders they use live on the executors, one per JVM and options, opened on first use and closed when
 * the JVM exits.
 *
 * <pre>{@code
 * Dataset<Row> withVectors = OnyxSpark.embed(df, "text", "embedding", SparkEmbedOptions.defaults());
 * OnyxSpark.register(spark, SparkEmbedOptions.defaults());
 * spark.sql("SELECT id, onyx_embed(text) AS embedding FROM docs");
 * }</pre>
 *
 * <p>A null text gets a null embedding; the job does not fail for it. Vectors equal those of a single-process {@link
 * dev.onyx.embed.Embedder} with the same options.
 */
public final class OnyxSpark {
    /** The name {@link #register(SparkSession, SparkEmbedOptions)} gives the SQL function. */
    public static final String FUNCTION_NAME = "onyx_embed";

    /** The type of an embedding column: {@code array<float>}, the column itself nullable. */
    public static final DataType EMBEDDING_TYPE = DataTypes.createArrayType(DataTypes.FloatType, false);

    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private OnyxSpark() {}

    /** {@link #embed(Dataset, String, String, SparkEmbedOptions)} with the default model and options. */
    public static Dataset<Row> embed(Dataset<Row> df, String textColumn, String embeddingColumn) {
        return embed(df, textColumn, embeddingColumn, SparkEmbedOptions.defaults());
    }

    /**
     * The rows of {@code df}, in order, with an {@code array<float>} column {@code embeddingColumn} appended: the
     * embedding of {@code textColumn}, or null where the text is null. Lazy, like every Dataset transformation; the
     * partitions are embedded in batches of {@link SparkEmbedOptions#rowsPerBatch()} rows by each executor's shared
     * embedder.
     *
     * @throws OnyxException when {@code textColumn} is missing or not a string, or {@code embeddingColumn} exists
     */
    public static Dataset<Row> embed(
            Dataset<Row> df, String textColumn, String embeddingColumn, SparkEmbedOptions options) {
        Objects.requireNonNull(df, "df");
        Objects.requireNonNull(textColumn, "textColumn");
        Objects.requireNonNull(embeddingColumn, "embeddingColumn");
        Objects.requireNonNull(options, "options");
        StructType schema = df.schema();
        int textIndex = textColumnIndex(schema, textColumn);
        if (Arrays.asList(schema.fieldNames()).contains(embeddingColumn)) {
            throw new OnyxException("column '" + embeddingColumn + "' already exists in " + schema.simpleString()
                    + "; choose another embedding column name or drop it first");
        }
        StructType out = schema.add(embeddingColumn, EMBEDDING_TYPE, true);
        EmbedPartition embedPartition =
                new EmbedPartition(options.model(), options.plainEmbedOptions(), options.rowsPerBatch(), textIndex);
        return df.mapPartitions(embedPartition, Encoders.row(out));
    }

    private static int textColumnIndex(StructType schema, String textColumn) {
        if (!Arrays.asList(schema.fieldNames()).contains(textColumn)) {
            throw new OnyxException("column '" + textColumn + "' not found; the dataset has columns "
                    + Arrays.toString(schema.fieldNames()));
        }
        int index = schema.fieldIndex(textColumn);
        DataType type = schema.fields()[index].dataType();
        if (!type.equals(DataTypes.StringType)) {
            throw new OnyxException("column '" + textColumn + "' has type " + type.simpleString()
                    + "; embeddings need a string column");
        }
        return index;
    }

    /** Registers {@code onyx_embed(text)} → {@code array<float>} (null for a null text) in this session. */
    public static void register(SparkSession spark, SparkEmbedOptions options) {
        register(spark, FUNCTION_NAME, options);
    }

    /**
     * Registers a SQL function {@code name(text)} → {@code array<float>} (null for a null text). Spark calls it row by
     * row, so each text is its own inference call: no batching, and no padding either (on a CPU with a small model
     * that measured about as fast as {@link #embed}; see {@code SparkBenchmark}).
     *
     * @throws OnyxException when {@code name} is not a plain SQL identifier
     */
    public static void register(SparkSession spark, String name, SparkEmbedOptions options) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (!SQL_IDENTIFIER.matcher(name).matches()) {
            throw new OnyxException(
                    "function name '" + name + "' is not a SQL identifier (letters, digits and _, not first a digit)");
        }
        spark.udf().register(name, new EmbedUdf(options.model(), options.plainEmbedOptions()), EMBEDDING_TYPE);
    }
}
