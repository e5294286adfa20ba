package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.runtime.OnyxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2 quantized once by Onyx (100 bundled calibration texts), checked against its fp32 model. */
class QuantizationTest {
    @TempDir
    static Path dir;

    static Path folder;
    static Quantization.Result result;

    @BeforeAll
    static void quantize() throws Exception {
        folder = dir.resolve("minilm-int8");
        List<String> progress = new ArrayList<>();
        result = Quantization.quantize(
                new ModelSource.Bundled("all-minilm-l6-v2"),
                folder,
                Quantization.Options.defaults().withSamples(100),
                progress::add);
        assertThat(progress).anyMatch(line -> line.contains("calibrated 100/100"));
    }

    @Test
    void int8VectorsStayWithinCosine099OfFp32OnEveryReferenceSentence() throws Exception {
        List<String> sentences = Reference.sentences();
        try (Embedder fp32 = Embedder.open(new ModelSource.Bundled("all-minilm-l6-v2"));
                Embedder int8 = Embedder.open(new ModelSource.Folder(folder))) {
            float[][] expected = fp32.embed(sentences).toArray();
            float[][] actual = int8.embed(sentences).toArray();
            double worst = 1;
            for (int i = 0; i < sentences.size(); i++) {
                worst = Math.min(worst, Reference.cosine(expected[i], actual[i]));
            }
            assertThat(worst)
                    .as("worst cosine int8 vs fp32 over %d sentences", sentences.size())
                    .isGreaterThanOrEqualTo(0.99);
            assertThat(int8.info().maxTokens()).isEqualTo(256);
            assertThat(int8.info().normalize()).isTrue();
            assertThat(int8.info().pooling()).isEqualTo(Pooling.MEAN);
        }
    }

    @Test
    void aTextsVectorDoesNotDependOnItsBatchMates() throws Exception {
        List<String> sentences = Reference.sentences();
        try (Embedder int8 = Embedder.open(new ModelSource.Folder(folder))) {
            List<String> texts = sentences.subList(200, 264); // mixed lengths, some long
            float[][] together = int8.embed(texts).toArray();
            for (int batch : new int[] {1, 2, 16}) {
                for (int start = 0; start < texts.size(); start += batch) {
                    List<String> part = texts.subList(start, Math.min(texts.size(), start + batch));
                    float[][] vectors = int8.embed(part).toArray();
                    for (int i = 0; i < part.size(); i++) {
                        assertThat(Reference.cosine(vectors[i], together[start + i]))
                                .as("text %d in a batch of %d vs in a batch of 64", start + i, batch)
                                .isGreaterThanOrEqualTo(0.99999);
                    }
                }
            }
        }
    }

    @Test
    void theFolderRecordsHowItWasMadeAndPassesTheOnnxChecker() throws Exception {
        JsonNode report =
                new ObjectMapper().readTree(folder.resolve("quantization.json").toFile());
        assertThat(report.path("method").asText()).isEqualTo("minmax");
        assertThat(report.path("calibration_texts").asInt()).isEqualTo(100);
        assertThat(report.path("calibration_sha256").asText()).hasSize(64);
        assertThat(report.path("nodes_int8").size()).isGreaterThan(0);
        assertThat(report.path("quality_gate").path("worst_cosine").asDouble()).isGreaterThanOrEqualTo(0.99);
        assertThat(result.worstCosine()).isGreaterThanOrEqualTo(0.99);
        assertThat(folder.resolve("tokenizer.json")).isRegularFile();
        assertThat(folder.resolve("1_Pooling/config.json")).isRegularFile();
        Process checker = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True);"
                                + " print('OK')",
                        folder.resolve("model.onnx").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(checker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(checker.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(output.strip()).as("onnx.checker (python3-onnx) output").isEqualTo("OK");
    }

    @Test
    void theQualityGateRefusesAModelBelowTheThresholdAndWritesNothing() {
        Path out = dir.resolve("refused");
        assertThatThrownBy(() -> Quantization.quantize(
                        new ModelSource.Bundled("all-minilm-l6-v2"),
                        out,
                        Quantization.Options.defaults()
                                .withSamples(20)
                                .withMinCosine(0.99999)
                                .withSettings(dev.onyx.onnx.Quantizer.Settings.defaults()
                                        .withMaxStep(Double.POSITIVE_INFINITY)),
                        line -> {}))
                .isInstanceOf(Quantization.QualityGateException.class)
                .hasMessageContaining("worst probe cosine")
                .hasMessageContaining("below --min-cosine 0.99999");
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).noneMatch(name -> name.contains(".tmp-"));
    }

    @Test
    void aNonEmptyOutputDirectoryOrEmptyCalibrationIsRefused() throws Exception {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> Quantization.quantize(
                        new ModelSource.Bundled("all-minilm-l6-v2"), busy, Quantization.Options.defaults(), l -> {}))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("is not empty");
        assertThat(Files.readString(busy.resolve("keep.txt"))).isEqualTo("mine");
        assertThatThrownBy(() -> Quantization.Options.defaults().withCalibrationTexts(List.of()))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("calibration texts are empty");
    }
}
