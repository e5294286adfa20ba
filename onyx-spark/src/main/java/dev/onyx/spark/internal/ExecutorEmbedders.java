package dev.onyx.spark.internal;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import dev.onyx.spark.SparkEmbedOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkFiles;

/**
 * The embedders of this JVM, one per (model, options), opened on first use and shared by every task the JVM runs;
 * thread-safe. They stay open for the life of the JVM — a Spark executor runs many tasks, and loading the model per
 * task would cost more than embedding a partition — and a shutdown hook closes them when the JVM exits.
 *
 * <p>This is the one place in Onyx where native resources live in a static field: a Spark task cannot own an embedder
 * (it would reload the model for every partition), and Spark gives user code no executor-lifecycle callback to hang an
 * owner on.
 */
public final class ExecutorEmbedders {
    private static final Map<Key, Opened> OPEN = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private ExecutorEmbedders() {}

    /** An open embedder and what opening it cost in this JVM. */
    public record Opened(Embedder embedder, long loadNanos) {}

    private record Key(String model, PlainEmbedOptions options) {}

    /**
     * The JVM's embedder for these options, opening it on first use (concurrent callers wait for the one opening).
     *
     * @throws UncheckedIOException when the model files cannot be read
     * @throws OnyxException when the model or the options are invalid
     */
    public static Embedder get(String model, PlainEmbedOptions options) {
        return opened(model, options).embedder();
    }

    /** Like {@link #get}, with the time the first open took. */
    public static Opened opened(String model, PlainEmbedOptions options) {
        Key key = new Key(Objects.requireNonNull(model, "model"), Objects.requireNonNull(options, "options"));
        Opened opened = OPEN.get(key);
        return opened != null ? opened : OPEN.computeIfAbsent(key, ExecutorEmbedders::open);
    }

    private static Opened open(Key key) {
        installShutdownHook();
        long start = System.nanoTime();
        try {
            Embedder embedder =
                    Embedder.open(resolve(key.model()), key.options().toEmbedOptions());
            long nanos = System.nanoTime() - start;
            // One line per open on the executor's stderr: the cluster test counts them per executor JVM.
            System.err.println("onyx: executor opened model " + key.model() + " in " + nanos / 1_000_000 + " ms");
            return new Opened(embedder, nanos);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open model '" + key.model() + "' on this executor: " + e.getMessage(), e);
        } catch (OnyxException e) { // a corrupt model file, say: the task's error names the model string
            if (String.valueOf(e.getMessage()).contains("'" + key.model() + "'")) {
                throw e;
            }
            throw new OnyxException("cannot open model '" + key.model() + "' on this executor: " + e.getMessage(), e);
        }
    }

    /** Turns the model string into a source here, on the executor, where shipped files and shared paths exist. */
    static ModelSource resolve(String model) {
        Optional<ModelPrecision> quantize = ModelSource.quantizeSuffix(model);
        if (quantize.isPresent()) {
            String fp32 = model.strip().substring(0, model.strip().lastIndexOf('?'));
            return ModelSource.quantized(resolve(fp32), quantize.get());
        }
        if (model.startsWith(SparkEmbedOptions.SPARK_FILES_PREFIX)) {
            String name = model.substring(SparkEmbedOptions.SPARK_FILES_PREFIX.length());
            Path local = Path.of(SparkFiles.get(name));
            if (!Files.isDirectory(local)) {
                throw new OnyxException("model '" + model + "': " + local + " is not a directory on this executor;"
                        + " ship the model folder as an archive, spark-submit --archives DIR.zip#" + name
                        + " (each executor unpacks it into a folder of that name), or from a Hadoop filesystem with"
                        + " SparkContext.addFile(dir, true)");
            }
            return ModelSource.folder(local);
        }
        return ModelSource.parse(model);
    }

    /** Number of embedders open in this JVM. */
    public static int openCount() {
        return OPEN.size();
    }

    /**
     * Closes every embedder of this JVM; later calls open fresh ones. For shutdown and tests. Safe while tasks still
     * embed: each close refuses new calls at once and frees the natives only after the running ones return (bounded by
     * {@code onyx.close.timeoutMillis}); a task caught mid-call ends with an {@link OnyxException} saying the embedder
     * is closed, never a crash. One embedder that cannot close in time does not keep the others open.
     */
    public static void closeAll() {
        for (Key key : OPEN.keySet()) {
            Opened opened = OPEN.remove(key);
            if (opened != null) {
                try {
                    opened.embedder().close();
                } catch (OnyxException e) {
                    System.err.println("onyx: " + e.getMessage());
                }
            }
        }
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorEmbedders::closeAll, "onyx-spark-close-embedders"));
        }
    }
}
