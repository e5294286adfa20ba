package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelCatalog;
import dev.onyx.embed.ModelSource;
import dev.onyx.spark.ClusterScript.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code onyx-spark/cluster} on a real standalone cluster: a Master and 2 Workers × 1 core as separate JVMs, the job jar
 * submitted with {@code SparkSubmit}, executors in JVMs of their own. Runs in the integration-test phase (it needs the
 * job jar built at {@code package}); every process the script starts is checked to be gone afterwards.
 */
class StandaloneClusterIT {
    private static final double MIN_COSINE = 0.99999;
    private static final Path RUNS = Path.of("target/cluster-it").toAbsolutePath();

    @BeforeAll
    static void cleanRuns() throws IOException {
        ClusterScript.deleteTree(RUNS);
        Files.createDirectories(RUNS);
    }

    @Test
    void twoThousandLinesOfTextBecomeParquetWithSingleProcessVectorsAndOneModelOpenPerExecutor() throws Exception {
        List<String> lines = LocalSpark.sotuSentences();
        lines.add(100, ""); // empty lines are empty strings, embedded like any text
        lines.add(1_500, "");
        Path input = Files.write(RUNS.resolve("corpus.txt"), lines);
        Path output = RUNS.resolve("text-to-parquet");

        Run run = cluster("text", "--input", input.toString(), "--output", output.toString(), "--partitions", "8");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.out()).contains("onyx: embedded " + lines.size() + " rows");
        List<Row> rows = LocalSpark.session()
                .read()
                .parquet(output.toString())
                .orderBy("id")
                .collectAsList();
        assertThat(rows).hasSize(lines.size());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).<Long>getAs("id")).isEqualTo(i); // ids follow the line order
            texts.add(rows.get(i).getAs("text"));
        }
        assertThat(texts).isEqualTo(lines);
        assertSameVectors(rows);
        Map<Path, Integer> opens = run.modelOpensPerExecutor();
        assertThat(opens).as("executors that ran tasks").hasSize(2);
        // a replacement executor that starts after the last task was handed out runs nothing and opens nothing (Spark
        // 4)
        assertThat(opens.values()).as("model opens per executor JVM").allMatch(n -> n <= 1);
        assertThat(opens.values().stream().filter(n -> n == 1).count())
                .as("executors that opened the model once")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void parquetWithNullsAndEmptiesBecomesJsonLinesAndASecondRunIsRefused() throws Exception {
        List<String> texts = new ArrayList<>(LocalSpark.sotuSentences().subList(0, 200));
        texts.set(3, null);
        texts.set(50, "");
        texts.set(120, null);
        texts.set(199, null);
        List<Row> inputRows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            inputRows.add(RowFactory.create(1_000L + i, texts.get(i)));
        }
        StructType schema =
                new StructType().add("doc_id", DataTypes.LongType, false).add("text", DataTypes.StringType, true);
        Path input = RUNS.resolve("docs.parquet");
        SparkSession spark = LocalSpark.session();
        spark.createDataFrame(inputRows, schema).coalesce(1).write().parquet(input.toString());
        Path output = RUNS.resolve("parquet-to-json");
        String[] args = {
            "--input",
            input.toString(),
            "--format",
            "parquet",
            "--output",
            output.toString(),
            "--output-format",
            "json",
            "--partitions",
            "4"
        };

        Run first = cluster("json", args);

        assertThat(first.exitCode()).as(first.describe()).isZero();
        List<Row> rows = spark.read()
                .schema(schema.add("embedding", DataTypes.createArrayType(DataTypes.FloatType), true))
                .json(output.toString())
                .orderBy("doc_id")
                .collectAsList();
        assertThat(rows).hasSize(texts.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).<Long>getAs("doc_id")).isEqualTo(1_000L + i);
            assertThat(rows.get(i).<String>getAs("text")).isEqualTo(texts.get(i));
            assertThat(rows.get(i).<Object>getAs("embedding") == null)
                    .as("row %d: null embedding exactly for a null text", i)
                    .isEqualTo(texts.get(i) == null);
        }
        assertSameVectors(rows);
        assertThat(first.modelOpensPerExecutor().values())
                .as("model opens per executor JVM")
                .containsOnly(1);

        Run second = cluster("json-again", args);

        assertThat(second.exitCode()).as(second.describe()).isNotZero();
        assertThat(second.err()).contains("[PATH_ALREADY_EXISTS]"); // the cause, printed by the script
        assertThat(Files.readString(second.work().resolve("submit-1.err"))).contains(output + " already exists");
        assertThat(spark.read().json(output.toString()).count()).isEqualTo(texts.size()); // untouched
    }

    @Test
    void anExecutorKilledMidJobIsReplacedAndTheOutputIsStillCompleteAndCorrect() throws Exception {
        List<String> lines = LocalSpark.sotuSentences().subList(0, 400);
        Path input = Files.write(RUNS.resolve("kill.txt"), lines);
        Path output = RUNS.resolve("kill-to-parquet");

        Run run = cluster(
                "kill",
                "--kill-executor-after-open",
                "--",
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--partitions",
                "4");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.work().resolve("killed-executor")).as(run.describe()).exists();
        List<Row> rows = LocalSpark.session()
                .read()
                .parquet(output.toString())
                .orderBy("id")
                .collectAsList();
        assertThat(rows).hasSize(lines.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).<Long>getAs("id")).isEqualTo(i);
            assertThat(rows.get(i).<String>getAs("text")).isEqualTo(lines.get(i));
        }
        assertSameVectors(rows);
        Map<Path, Integer> opens = run.modelOpensPerExecutor(); // the killed one counts: it had opened the model
        assertThat(opens).as("executors that ran tasks").hasSizeGreaterThanOrEqualTo(2);
        // a replacement executor that starts after the last task was handed out runs nothing and opens nothing (Spark
        // 4)
        assertThat(opens.values()).as("model opens per executor JVM").allMatch(n -> n <= 1);
        assertThat(opens.values().stream().filter(n -> n == 1).count())
                .as("executors that opened the model once")
                .isGreaterThanOrEqualTo(2);
    }

    /**
     * One cluster, three submissions in a row: a driver in cluster deploy mode (on a worker), a model that cannot be
     * opened (the job fails at its first task naming it, the cluster lives on), and a model folder shipped with
     * {@code --archives} and named {@code sparkfiles:NAME}.
     */
    @Test
    void oneClusterRunsAClusterModeDriverRefusesAnUnopenableModelAndEmbedsWithAShippedModel() throws Exception {
        List<String> lines = LocalSpark.sotuSentences().subList(0, 200);
        Path input = Files.write(RUNS.resolve("shared.txt"), lines);
        Path model = ModelCatalog.fromEnvironment()
                .withCacheDirectory(RUNS.resolve("catalog"))
                .pull(ModelSource.DEFAULT_MODEL)
                .directory();
        Path archive = ClusterScript.zip(model, RUNS.resolve("minilm.zip"));
        Path broken = RUNS.resolve("broken-model"); // the same folder with its ONNX files corrupted
        try (Stream<Path> files = Files.walk(model)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = broken.resolve(model.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                if (file.toString().endsWith(".onnx")) {
                    Files.writeString(copy, "not an ONNX model");
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        Path clusterMode = RUNS.resolve("cluster-mode");
        Path refused = RUNS.resolve("broken-out");
        Path shipped = RUNS.resolve("shipped-model");

        Run run = cluster(
                "shared",
                "--deploy-mode",
                "cluster",
                "--",
                "--input",
                input.toString(),
                "--output",
                clusterMode.toString(),
                "--partitions",
                "2",
                "--next",
                "--",
                "--input",
                input.toString(),
                "--output",
                refused.toString(),
                "--model",
                broken.toString(),
                "--next",
                "--archives",
                archive + "#minilm",
                "--",
                "--input",
                input.toString(),
                "--output",
                shipped.toString(),
                "--model",
                "sparkfiles:minilm",
                "--partitions",
                "2");

        // 1. Cluster deploy mode: the driver ran in a worker's folder and printed the job's line there.
        assertThat(run.exitCode(1)).as(run.describe()).isZero();
        List<String> folders = run.folders(1);
        assertThat(folders).as("folders of submission 1").anyMatch(f -> f.contains("/driver-"));
        Path driver = Path.of(
                folders.stream().filter(f -> f.contains("/driver-")).findFirst().orElseThrow());
        assertThat(Files.readString(driver.resolve("stdout"))).contains("onyx: embedded 200 rows");
        assertSameLinesAndVectors(clusterMode, lines);
        assertThat(run.modelOpensPerExecutor(1, ModelSource.DEFAULT_MODEL).values())
                .as("model opens per executor JVM")
                .containsOnly(1);

        // 2. The unopenable model fails the job at its first task, naming the model; nothing is published.
        assertThat(run.exitCode(2)).as(run.describe()).isNotZero();
        String submitErr = Files.readString(run.work().resolve("submit-2.err"));
        assertThat(submitErr).contains("Job aborted due to stage failure: Task 0 in stage");
        assertThat(submitErr).contains("cannot open model '" + broken + "'");
        assertThat(run.err()).as("the cause, printed by the script").contains("cannot open model '" + broken + "'");
        assertThat(run.modelOpensPerExecutor(2, broken.toString()).values()).containsOnly(0);
        assertThat(refused.resolve("_SUCCESS")).doesNotExist();

        // 3. sparkfiles:minilm, shipped as an archive and unpacked by each executor: the same vectors.
        assertThat(run.exitCode(3)).as(run.describe()).isZero();
        assertSameLinesAndVectors(shipped, lines);
        assertThat(run.modelOpensPerExecutor(3, "sparkfiles:minilm").values())
                .as("model opens per executor JVM")
                .containsOnly(1);
        assertThat(run.exitCode())
                .as("the script's exit code: the first failed submission's")
                .isEqualTo(1);
    }

    private static void assertSameLinesAndVectors(Path parquet, List<String> lines) {
        List<Row> rows = LocalSpark.session()
                .read()
                .parquet(parquet.toString())
                .orderBy("id")
                .collectAsList();
        assertThat(rows).hasSize(lines.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).<Long>getAs("id")).isEqualTo(i);
            assertThat(rows.get(i).<String>getAs("text")).isEqualTo(lines.get(i));
        }
        assertSameVectors(rows);
    }

    /** Every non-null text's vector against single-process Onyx with the same model. */
    private static void assertSameVectors(List<Row> rows) {
        List<String> texts = new ArrayList<>();
        List<float[]> got = new ArrayList<>();
        for (Row row : rows) {
            if (row.getAs("text") != null) {
                texts.add(row.getAs("text"));
                got.add(LocalSpark.vector(row, row.fieldIndex("embedding")));
            }
        }
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel())) {
            float[][] expected = embedder.embed(texts).toArray();
            for (int i = 0; i < texts.size(); i++) {
                assertThat(LocalSpark.cosine(got.get(i), expected[i]))
                        .as("cosine of '%s'", texts.get(i))
                        .isGreaterThanOrEqualTo(MIN_COSINE);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code onyx-spark/cluster 2 ...} in {@code RUNS/run-NAME}; checks every process it started is gone. */
    private static Run cluster(String name, String... jobArgs) throws Exception {
        return ClusterScript.run(RUNS.resolve("run-" + name), jobArgs);
    }
}
