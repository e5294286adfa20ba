package dev.onyx.spark;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import dev.onyx.spark.internal.PlainEmbedOptions;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * What every Spark executor opens and how it batches rows; an immutable value, safe to share, and serializable so Spark
 * ships it with each task. Executors build their {@link dev.onyx.embed.Embedder} from it, once per JVM (the options are
 * the key: tasks with equal options share one embedder).
 *
 * <p>The model is a string so that it can name files that exist only on the executors:
 *
 * <ul>
 *   <li>a catalog name ({@code all-minilm-l6-v2}): the model files travel inside the job's jars, nothing to ship;
 *   <li>{@code sparkfiles:NAME}: a model folder shipped as an archive with {@code spark-submit --archives
 *       DIR.zip#NAME} (unpacked by each executor) or, from a Hadoop filesystem, with {@code SparkContext.addFile(dir,
 *       true)}; found on each executor with {@code SparkFiles.get(NAME)} (Spark ships no local folder with {@code
 *       --files});
 *   <li>any other string: a model folder path that exists on every executor (shared storage, or baked into the image);
 *       what {@link ModelSource#parse(String)} accepts.
 * </ul>
 *
 * <p>Any of them may end in {@code ?quantize=int8} ({@link #withQuantize}): each executor machine then runs Onyx's
 * int8 copy of the model, made once in its Onyx cache ({@link dev.onyx.embed.QuantizedModels}).
 */
public final class SparkEmbedOptions implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Prefix of a model folder shipped as a Spark file. */
    public static final String SPARK_FILES_PREFIX = "sparkfiles:";

    private static final int DEFAULT_ROWS_PER_BATCH = 1_024;

    private final String model;
    private final PlainEmbedOptions embed;
    private final int rowsPerBatch;

    private SparkEmbedOptions(String model, PlainEmbedOptions embed, int rowsPerBatch) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(embed, "embed");
        if (model.isBlank() || model.equals(SPARK_FILES_PREFIX)) {
            throw new OnyxException("model must be a catalog name, " + SPARK_FILES_PREFIX
                    + "NAME or a model folder path, was '" + model + "'");
        }
        ModelSource.quantizeSuffix(model); // a bad ?quantize= value fails here, on the driver
        if (rowsPerBatch < 1 || rowsPerBatch > 1_000_000) {
            throw new OnyxException("rowsPerBatch must be between 1 and 1000000, was " + rowsPerBatch);
        }
        this.model = model;
        this.embed = embed;
        this.rowsPerBatch = rowsPerBatch;
    }

    /**
     * The bundled default model with {@link EmbedOptions#defaults()} but one ONNX Runtime intra-op thread, and 1,024 rows
     * per embedding call. One thread because Spark already runs one task per core, each embedding its own rows: more
     * threads per inference call would only contend for the same cores (measured in {@code SparkBenchmark}). Raise it
     * with {@link #withEmbedOptions} when executors run fewer tasks than cores ({@code spark.task.cpus} > 1).
     */
    public static SparkEmbedOptions defaults() {
        EmbedOptions options = EmbedOptions.defaults();
        return of(
                ModelSource.DEFAULT_MODEL, options.withRuntime(options.runtime().withIntraOpThreads(1)));
    }

    /**
     * A model (catalog name, {@code sparkfiles:NAME} or folder path) and how to embed with it.
     *
     * @throws OnyxException when the model string is blank
     */
    public static SparkEmbedOptions of(String model, EmbedOptions options) {
        return new SparkEmbedOptions(model, PlainEmbedOptions.of(options), DEFAULT_ROWS_PER_BATCH);
    }

    /**
     * A model source from this JVM and how to embed with it; a folder is named by its absolute path, which must then
     * exist on every executor too.
     */
    public static SparkEmbedOptions of(ModelSource source, EmbedOptions options) {
        Objects.requireNonNull(source, "source");
        if (source instanceof ModelSource.Quantized quantized) {
            return of(quantized.fp32(), options).withQuantize(quantized.precision());
        }
        if (source instanceof ModelSource.Bundled bundled) {
            return of(bundled.name(), options);
        }
        if (source instanceof ModelSource.Folder folder) {
            return of(folder.directory().toAbsolutePath().toString(), options);
        }
        throw new OnyxException("model source " + source + " cannot be shipped to Spark executors; use a catalog name,"
                + " a folder on shared storage or " + SPARK_FILES_PREFIX + "NAME");
    }

    public SparkEmbedOptions withModel(String model) {
        return new SparkEmbedOptions(model, embed, rowsPerBatch);
    }

    /**
     * The same model quantized by Onyx on each executor machine ({@code MODEL?quantize=int8}); a model that already asks
     * for it is left as it is.
     *
     * @throws OnyxException when {@code precision} is not one Onyx quantizes to
     */
    public SparkEmbedOptions withQuantize(ModelPrecision precision) {
        Objects.requireNonNull(precision, "precision");
        if (precision != ModelPrecision.INT8) {
            throw new OnyxException(
                    "cannot quantize to " + precision.label() + "; allowed: " + ModelPrecision.INT8.label());
        }
        if (ModelSource.quantizeSuffix(model).isPresent()) {
            return this;
        }
        return withModel(model + ModelSource.QUANTIZE_SUFFIX + precision.label());
    }

    public SparkEmbedOptions withEmbedOptions(EmbedOptions options) {
        return new SparkEmbedOptions(model, PlainEmbedOptions.of(options), rowsPerBatch);
    }

    /** Rows a partition hands to one {@code Embedder.embed(List)} call (which batches them further for inference). */
    public SparkEmbedOptions withRowsPerBatch(int rowsPerBatch) {
        return new SparkEmbedOptions(model, embed, rowsPerBatch);
    }

    /** The model: a catalog name, {@code sparkfiles:NAME} or a folder path. */
    public String model() {
        return model;
    }

    /** The embedding options the executors open their embedder with; a fresh, equal value on each call. */
    public EmbedOptions embedOptions() {
        return embed.toEmbedOptions();
    }

    public int rowsPerBatch() {
        return rowsPerBatch;
    }

    /** The part that decides which embedder an executor opens (everything but {@link #rowsPerBatch()}). */
    PlainEmbedOptions plainEmbedOptions() {
        return embed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparkEmbedOptions other
                && model.equals(other.model)
                && embed.equals(other.embed)
                && rowsPerBatch == other.rowsPerBatch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, embed, rowsPerBatch);
    }

    @Override
    public String toString() {
        return "SparkEmbedOptions[model=" + model + ", rowsPerBatch=" + rowsPerBatch + ", " + embed + "]";
    }
}
