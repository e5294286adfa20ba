package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.runtime.OnyxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2 quantized once by Onyx ({@link Int8Copies}): what the folder records, the gate, refused outputs.
 * Quality and batch invariance for the three models are in {@link QuantizationQualityTest}.
 */
class QuantizationTest {
    @TempDir
    static Path dir;

    static Path folder;
    static Quantization.Result result;

    @BeforeAll
    static void quantize() {
        Int8Copies.Copy copy = Int8Copies.of("all-minilm-l6-v2");
        folder = copy.folder();
        result = copy.result();
        assertThat(copy.progress())
                .anyMatch(line -> line.contains("calibrated " + Int8Copies.SAMPLES + "/" + Int8Copies.SAMPLES));
    }

    @Test
    void theFolderRecordsHowItWasMadeAndPassesTheOnnxChecker() throws Exception {
        JsonNode report =
                new ObjectMapper().readTree(folder.resolve("quantization.json").toFile());
        assertThat(report.path("method").asText()).isEqualTo("minmax");
        assertThat(report.path("calibration_texts").asInt()).isEqualTo(Int8Copies.SAMPLES);
        assertThat(report.path("calibration_sha256").asText()).hasSize(64);
        assertThat(report.path("nodes_int8").size()).isGreaterThan(0);
        assertThat(report.path("weights").asText()).contains("±63");
        JsonNode why = report.path("nodes_kept_fp32_why");
        assertThat(why.size()).isEqualTo(report.path("nodes_kept_fp32").size()).isGreaterThan(0);
        for (JsonNode entry : why) {
            assertThat(entry.path("uint8_step").asDouble())
                    .as(
                            "%s stayed fp32 because its step is over max_step",
                            entry.path("node").asText())
                    .isGreaterThan(report.path("max_step").asDouble());
            assertThat(entry.path("reason").asText()).contains("over max_step");
        }
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
