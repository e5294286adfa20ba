package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.TinyEncoder;
import dev.onyx.runtime.OnyxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --quantize int8} / {@code MODEL?quantize=int8} in Spark: parsed on the driver, run on local executors. */
class QuantizedJobTest {
    @Test
    void quantizeInt8EmbedsWithOnyxsInt8CopyOnTheExecutors(@TempDir Path dir) throws Exception {
        Path tiny = TinyEncoder.write(dir.resolve("tiny-encoder"));
        List<String> lines = LocalSpark.sotuSentences().subList(0, 8);
        Path input = Files.write(dir.resolve("corpus.txt"), lines);
        Path output = dir.resolve("vectors.parquet");
        EmbedJob.Arguments arguments = EmbedJob.Arguments.parse(
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--model",
                tiny.toString(),
                "--quantize",
                "int8");
        assertThat(arguments.model()).isEqualTo(tiny + "?quantize=int8");
        SparkSession spark = LocalSpark.session();

        assertThat(EmbedJob.run(spark, arguments)).isEqualTo(8);

        List<Row> rows = spark.read().parquet(output.toString()).orderBy("id").collectAsList();
        try (Embedder int8 = Embedder.open(ModelSource.parse(tiny + "?quantize=int8"))) {
            assertThat(int8.info().precision()).isEqualTo(ModelPrecision.INT8);
            float[][] expected = int8.embed(lines).toArray();
            for (int i = 0; i < rows.size(); i++) {
                assertThat(LocalSpark.cosine(LocalSpark.vector(rows.get(i), 2), expected[i]))
                        .as("cosine of line %d", i)
                        .isGreaterThanOrEqualTo(0.99999);
            }
        }
    }

    @Test
    void theOptionIsCarriedInTheModelStringAndBadValuesAreRefusedOnTheDriver() {
        SparkEmbedOptions options = SparkEmbedOptions.of(
                new ModelSource.Quantized(ModelSource.defaultModel(), ModelPrecision.INT8), EmbedOptions.defaults());
        assertThat(options.model()).isEqualTo("all-minilm-l6-v2?quantize=int8");
        assertThat(options.withQuantize(ModelPrecision.INT8)).isEqualTo(options);
        assertThat(SparkEmbedOptions.defaults()
                        .withQuantize(ModelPrecision.INT8)
                        .model())
                .isEqualTo("all-minilm-l6-v2?quantize=int8");
        assertThatThrownBy(() -> EmbedJob.Arguments.parse("--input", "a", "--output", "b", "--quantize", "int4"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("--quantize: unknown quantization 'int4'; allowed: int8");
        assertThatThrownBy(() -> SparkEmbedOptions.defaults().withModel("all-minilm-l6-v2?quantize=fp16"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("unknown quantization 'fp16'; allowed: int8");
    }
}
