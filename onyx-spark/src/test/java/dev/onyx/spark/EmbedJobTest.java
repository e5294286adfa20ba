package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedJobTest {
    private static final double MIN_COSINE = 0.99999;

    @Test
    void textFileBecomesParquetWithIdsTextsAndVectorsInLineOrder(@TempDir Path dir) throws IOException {
        List<String> lines = LocalSpark.sotuSentences().subList(0, 40);
        Path input = Files.write(dir.resolve("corpus.txt"), lines);
        Path output = dir.resolve("vectors.parquet");
        SparkSession spark = LocalSpark.session();

        long written = EmbedJob.run(
                spark, EmbedJob.Arguments.parse("--input", input.toString(), "--output", output.toString()));

        assertThat(written).isEqualTo(40);
        List<Row> rows = spark.read().parquet(output.toString()).orderBy("id").collectAsList();
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel())) {
            float[][] expected = embedder.embed(lines).toArray();
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i).getString(1)).isEqualTo(lines.get(i));
                assertThat(LocalSpark.cosine(LocalSpark.vector(rows.get(i), 2), expected[i]))
                        .as("cosine of line %d", i)
                        .isGreaterThanOrEqualTo(MIN_COSINE);
            }
        }
    }

    @Test
    void jsonLinesOutputAndASecondRunIntoTheSamePathIsRefused(@TempDir Path dir) throws IOException {
        List<String> lines = LocalSpark.sotuSentences().subList(0, 8);
        Path input = Files.write(dir.resolve("corpus.txt"), lines);
        Path output = dir.resolve("vectors.json");
        SparkSession spark = LocalSpark.session();
        String[] args = {"--input", input.toString(), "--output", output.toString(), "--output-format", "json"};

        assertThat(EmbedJob.run(spark, EmbedJob.Arguments.parse(args))).isEqualTo(8);
        List<Row> rows = spark.read()
                .schema("id BIGINT, text STRING, embedding ARRAY<FLOAT>")
                .json(output.toString())
                .orderBy("id")
                .collectAsList();
        assertThat(rows).hasSize(8);
        assertThat(LocalSpark.vector(rows.get(0), 2)).hasSize(384);
        assertThat(rows.get(7).<String>getAs("text")).isEqualTo(lines.get(7));

        assertThatThrownBy(() -> EmbedJob.run(spark, EmbedJob.Arguments.parse(args)))
                .hasMessageContaining("already exists");
        assertThat(spark.read().json(output.toString()).count()).isEqualTo(8); // the first output is untouched
    }

    @Test
    void argumentsTakeDefaultsForWhatIsNotGiven() {
        EmbedJob.Arguments arguments = EmbedJob.Arguments.parse("--input", "in.txt", "--output", "out");

        assertThat(arguments)
                .isEqualTo(new EmbedJob.Arguments(
                        "in.txt",
                        "out",
                        EmbedJob.Format.TEXT,
                        EmbedJob.OutputFormat.PARQUET,
                        "text",
                        ModelSource.DEFAULT_MODEL,
                        0,
                        1_024));
    }

    @Test
    void badArgumentsAreNamedWithTheUsage() {
        assertThatThrownBy(() -> EmbedJob.Arguments.parse("--input", "in.txt"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("--input and --output are required; " + EmbedJob.USAGE);
        assertThatThrownBy(() -> EmbedJob.Arguments.parse("--inptu", "in.txt"))
                .hasMessage("unknown option '--inptu'; " + EmbedJob.USAGE);
        assertThatThrownBy(() -> EmbedJob.Arguments.parse("--input"))
                .hasMessage("option --input needs a value; " + EmbedJob.USAGE);
        assertThatThrownBy(() -> EmbedJob.Arguments.parse("--format", "csv"))
                .hasMessage("--format must be text or parquet, was 'csv'");
        assertThatThrownBy(() -> EmbedJob.Arguments.parse("--output-format", "csv"))
                .hasMessage("--output-format must be parquet or json, was 'csv'");
        assertThatThrownBy(() -> EmbedJob.Arguments.parse("--partitions", "many"))
                .hasMessage("--partitions must be a whole number, was 'many'");
    }
}
