package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.spark.internal.ExecutorEmbedders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark {@code local[2]} against the single-process {@link Embedder}: same vectors (cosine ≥ 0.99999), same order, nulls
 * kept. The reference vectors are computed once for the class.
 */
class OnyxSparkParityTest {
    private static final double MIN_COSINE = 0.99999;
    private static final int NULL_EVERY = 200;
    private static final StructType SCHEMA =
            new StructType().add("id", DataTypes.LongType, false).add("text", DataTypes.StringType, true);

    private static SparkSession spark;
    private static List<String> texts; // 2,000 sentences with a null every 200 rows and one empty text
    private static float[][] expected; // single-process vectors, null where the text is null

    @BeforeAll
    static void embedOnceInThisProcess() throws IOException {
        spark = LocalSpark.session();
        texts = LocalSpark.sotuSentences();
        for (int i = 0; i <= texts.size(); i += NULL_EVERY) {
            texts.add(i, null);
        }
        texts.add(7, "");
        List<String> nonNull = texts.stream().filter(t -> t != null).toList();
        try (Embedder embedder = Embedder.open(
                ModelSource.defaultModel(), SparkEmbedOptions.defaults().embedOptions())) {
            float[][] vectors = embedder.embed(nonNull).toArray();
            expected = new float[texts.size()][];
            for (int i = 0, next = 0; i < texts.size(); i++) {
                expected[i] = texts.get(i) == null ? null : vectors[next++];
            }
        }
    }

    private static Dataset<Row> docs(int rows, int partitions) {
        List<Row> data = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            data.add(RowFactory.create((long) i, texts.get(i)));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(data, partitions), SCHEMA);
    }

    @Test
    void embedGivesTheSingleProcessVectorsInInputOrderWithNullsKept() {
        assertThat(texts).hasSizeGreaterThanOrEqualTo(2_000).containsNull();

        SparkEmbedOptions options = SparkEmbedOptions.defaults().withRowsPerBatch(150); // 402-row partitions: 3 batches

        List<Row> rows = OnyxSpark.embed(docs(texts.size(), 5), "text", "embedding", options)
                .collectAsList();

        assertThat(rows).hasSize(texts.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertThat(row.getLong(0)).isEqualTo(i);
            assertThat(row.getString(1)).isEqualTo(texts.get(i));
            if (expected[i] == null) {
                assertThat(row.isNullAt(2)).as("row %d has a null text", i).isTrue();
            } else {
                float[] actual = LocalSpark.vector(row, 2);
                assertThat(actual).hasSize(384);
                assertThat(LocalSpark.cosine(actual, expected[i]))
                        .as("cosine of row %d", i)
                        .isGreaterThanOrEqualTo(MIN_COSINE);
            }
        }
    }

    @Test
    void sqlFunctionGivesTheSingleProcessVectorsAndNullForNull() {
        OnyxSpark.register(spark, SparkEmbedOptions.defaults());
        docs(NULL_EVERY / 2, 2).createOrReplaceTempView("docs");

        List<Row> rows = spark.sql("SELECT id, onyx_embed(text) AS embedding FROM docs ORDER BY id")
                .collectAsList();

        assertThat(rows).hasSize(NULL_EVERY / 2);
        for (Row row : rows) {
            int i = Math.toIntExact(row.getLong(0));
            if (expected[i] == null) {
                assertThat(row.isNullAt(1)).as("row %d has a null text", i).isTrue();
            } else {
                assertThat(LocalSpark.cosine(LocalSpark.vector(row, 1), expected[i]))
                        .as("cosine of row %d", i)
                        .isGreaterThanOrEqualTo(MIN_COSINE);
            }
        }
    }

    @Test
    void tasksOfOneJvmShareOneEmbedderPerOptions() {
        SparkEmbedOptions options = SparkEmbedOptions.defaults()
                .withEmbedOptions(SparkEmbedOptions.defaults().embedOptions().withMaxBatchSize(17))
                .withRowsPerBatch(3);
        int before = ExecutorEmbedders.openCount();

        long embedded =
                OnyxSpark.embed(docs(80, 8), "text", "embedding", options).count();

        assertThat(embedded).isEqualTo(80);
        assertThat(ExecutorEmbedders.openCount()).isEqualTo(before + 1);
    }
}
