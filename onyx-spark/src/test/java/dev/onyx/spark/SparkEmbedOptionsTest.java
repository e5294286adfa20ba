package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.LongTextPolicy;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Pooling;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.OptimizationLevel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkEmbedOptionsTest {
    private static final EmbedOptions EVERY_FIELD_SET = EmbedOptions.defaults()
            .withPooling(Pooling.CLS)
            .withNormalize(false)
            .withMaxTokens(128)
            .withLongTextPolicy(LongTextPolicy.CHUNK)
            .withMaxBatchSize(8)
            .withMaxBatchTokens(1_000)
            .withRuntime(EmbedOptions.defaults()
                    .runtime()
                    .withDevice(Device.CPU)
                    .withStrictDevice(true)
                    .withIntraOpThreads(1)
                    .withOptimizationLevel(OptimizationLevel.BASIC)
                    .withMemoryArena(false)
                    .withOptimizedModelCache(Path.of("/tmp/onyx-optimized.onnx")))
            .withWarmUp(false);

    @Test
    void embedOptionsComeBackEqualWithEveryFieldSetOrDefault() {
        assertThat(SparkEmbedOptions.of("m", EVERY_FIELD_SET).embedOptions()).isEqualTo(EVERY_FIELD_SET);
        assertThat(SparkEmbedOptions.of("m", EmbedOptions.defaults()).embedOptions())
                .isEqualTo(EmbedOptions.defaults());
    }

    @Test
    void survivesJavaSerializationAsSparkShipsIt() throws IOException, ClassNotFoundException {
        SparkEmbedOptions options =
                SparkEmbedOptions.of("sparkfiles:my-model", EVERY_FIELD_SET).withRowsPerBatch(99);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(options);
        }
        Object copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }

        assertThat(copy).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(((SparkEmbedOptions) copy).embedOptions()).isEqualTo(EVERY_FIELD_SET);
    }

    @Test
    void defaultsUseTheBundledModelOneIntraOpThreadAndBatchesOf1024Rows() {
        EmbedOptions oneThread = EmbedOptions.defaults()
                .withRuntime(EmbedOptions.defaults().runtime().withIntraOpThreads(1));
        assertThat(SparkEmbedOptions.defaults().embedOptions()).isEqualTo(oneThread);
        assertThat(SparkEmbedOptions.defaults().model()).isEqualTo(ModelSource.DEFAULT_MODEL);
        assertThat(SparkEmbedOptions.defaults().rowsPerBatch()).isEqualTo(1_024);
    }

    @Test
    void folderSourceTravelsAsItsAbsolutePath(@TempDir Path dir) {
        SparkEmbedOptions options = SparkEmbedOptions.of(ModelSource.folder(dir), EmbedOptions.defaults());

        assertThat(options.model()).isEqualTo(dir.toAbsolutePath().toString());
    }

    @Test
    void blankModelIsRejectedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> SparkEmbedOptions.defaults().withModel(" "))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("catalog name, sparkfiles:NAME or a model folder path, was ' '");
        assertThatThrownBy(() -> SparkEmbedOptions.defaults().withModel("sparkfiles:"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("was 'sparkfiles:'");
    }

    @Test
    void rowsPerBatchOutsideItsRangeIsRejected() {
        assertThatThrownBy(() -> SparkEmbedOptions.defaults().withRowsPerBatch(0))
                .isInstanceOf(OnyxException.class)
                .hasMessage("rowsPerBatch must be between 1 and 1000000, was 0");
    }
}
