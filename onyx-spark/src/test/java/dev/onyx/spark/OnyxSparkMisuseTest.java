package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class OnyxSparkMisuseTest {
    private final SparkSession spark = LocalSpark.session();
    private final Dataset<Row> docs = spark.createDataFrame(
            List.of(RowFactory.create(1, "one"), RowFactory.create(2, "two")),
            new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType));

    @Test
    void missingTextColumnIsNamedWithTheColumnsThereAre() {
        assertThatThrownBy(() -> OnyxSpark.embed(docs, "body", "embedding"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("column 'body' not found; the dataset has columns [id, text]");
    }

    @Test
    void nonStringTextColumnIsRejectedWithItsType() {
        assertThatThrownBy(() -> OnyxSpark.embed(docs, "id", "embedding"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("column 'id' has type int; embeddings need a string column");
    }

    @Test
    void existingEmbeddingColumnIsNotOverwritten() {
        assertThatThrownBy(() -> OnyxSpark.embed(docs, "text", "id"))
                .isInstanceOf(OnyxException.class)
                .hasMessageStartingWith("column 'id' already exists in struct<id:int,text:string>");
    }

    @Test
    void functionNameMustBeASqlIdentifier() {
        assertThatThrownBy(() -> OnyxSpark.register(spark, "onyx-embed", SparkEmbedOptions.defaults()))
                .isInstanceOf(OnyxException.class)
                .hasMessageStartingWith("function name 'onyx-embed' is not a SQL identifier");
    }

    @Test
    void modelFolderMissingOnTheExecutorFailsTheJobNamingIt() {
        SparkEmbedOptions options = SparkEmbedOptions.defaults().withModel("/no/such/onyx-model");

        assertThatThrownBy(() ->
                        OnyxSpark.embed(docs, "text", "embedding", options).collectAsList())
                .hasMessageContaining("model '/no/such/onyx-model' is neither a known model");
    }

    @Test
    void sparkFileThatWasNeverShippedFailsTheJobSayingHowToShipIt() {
        SparkEmbedOptions options = SparkEmbedOptions.defaults().withModel("sparkfiles:never-shipped");

        assertThatThrownBy(() ->
                        OnyxSpark.embed(docs, "text", "embedding", options).collectAsList())
                .hasMessageContaining("model 'sparkfiles:never-shipped'")
                .hasMessageContaining("spark-submit --archives DIR.zip#never-shipped");
    }
}
