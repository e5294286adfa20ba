package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-side precision: {@code SOURCE?quantize=int8} parsing, and what {@link ModelInfo} says about fp32, third-party
 * int8 (the shipped {@code -q} model) and Onyx's own int8 (a tiny encoder quantized through Onyx's cache on first use).
 */
class ModelPrecisionTest {
    @TempDir
    Path dir;

    @Test
    void aSpecEndingInQuantizeInt8IsTheQuantizedSourceOfTheRest() {
        assertThat(ModelSource.parse("all-minilm-l6-v2?quantize=int8"))
                .isEqualTo(new ModelSource.Quantized(new ModelSource.Bundled("all-minilm-l6-v2"), ModelPrecision.INT8));
        assertThat(ModelSource.parse(" all-minilm-l6-v2?quantize=INT8 ", Optional.empty(), Optional.empty()))
                .isEqualTo(ModelSource.parse("all-minilm-l6-v2?quantize=int8"));
        assertThat(ModelSource.parse("BAAI/bge-small-en-v1.5?quantize=int8", Optional.of("main"), Optional.empty()))
                .isEqualTo(new ModelSource.Quantized(
                        new ModelSource.Hub("BAAI/bge-small-en-v1.5", "main", Optional.empty()), ModelPrecision.INT8));
        ModelSource q = ModelSource.quantized(ModelSource.defaultModel(), ModelPrecision.INT8);
        assertThat(ModelSource.quantized(q, ModelPrecision.INT8)).isSameAs(q);
        assertThat(q.toString()).isEqualTo("Bundled[name=all-minilm-l6-v2]?quantize=int8");
    }

    @Test
    void badQuantizeValuesAndOptionsAreRefusedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> ModelSource.parse("all-minilm-l6-v2?quantize=int4"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("unknown quantization 'int4'; allowed: int8");
        assertThatThrownBy(() -> ModelSource.parse("all-minilm-l6-v2?precision=int8"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("unknown option '?precision=int8'; allowed: ?quantize=int8");
        assertThatThrownBy(() -> ModelPrecision.parseQuantization("fp32"))
                .hasMessage("unknown quantization 'fp32'; allowed: int8");
        assertThatThrownBy(() -> new ModelSource.Quantized(ModelSource.defaultModel(), ModelPrecision.FP16))
                .hasMessage("cannot quantize to fp16; allowed: int8");
        ModelSource.Quantized q = new ModelSource.Quantized(ModelSource.defaultModel(), ModelPrecision.INT8);
        assertThatThrownBy(() -> new ModelSource.Quantized(q, ModelPrecision.INT8))
                .hasMessageContaining("is already quantized");
        assertThatThrownBy(() -> Quantization.quantize(q, dir.resolve("out"), Quantization.Options.defaults(), l -> {}))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("is already quantized");
    }

    @Test
    void infoTellsFp32FromThirdPartyInt8() throws Exception {
        try (Embedder fp32 = Embedder.open(ModelSource.parse("all-minilm-l6-v2"));
                Embedder q = Embedder.open(ModelSource.parse("all-minilm-l6-v2-q"))) {
            assertThat(fp32.info().precision()).isEqualTo(ModelPrecision.FP32);
            assertThat(fp32.info().int8Origin()).isEmpty();
            assertThat(q.info().precision()).isEqualTo(ModelPrecision.INT8);
            Int8Origin origin = q.info().int8Origin().orElseThrow();
            assertThat(origin.maker()).isEqualTo(Int8Origin.Maker.THIRD_PARTY);
            assertThat(origin.detail()).startsWith("third-party int8 (").contains("MatMulInteger");
            assertThat(origin.method()).isEmpty();
        }
    }

    @Test
    void aQuantizedSourceOpensOnyxsInt8CopyAndInfoSaysHowItWasMade() throws Exception {
        Path tiny = TinyEncoder.write(dir.resolve("tiny-encoder"));
        try (Embedder fp32 = Embedder.open(ModelSource.parse(tiny.toString()));
                Embedder int8 = Embedder.open(ModelSource.parse(tiny + "?quantize=int8"))) {
            ModelInfo info = int8.info();
            assertThat(info.name()).isEqualTo("tiny-encoder");
            assertThat(info.source())
                    .startsWith("Onyx int8 of ")
                    .contains(QuantizedModels.directory().toString());
            assertThat(info.precision()).isEqualTo(ModelPrecision.INT8);
            Int8Origin origin = info.int8Origin().orElseThrow();
            assertThat(origin.maker()).isEqualTo(Int8Origin.Maker.ONYX);
            assertThat(origin.method()).contains("minmax");
            assertThat(origin.calibrationTexts()).hasValue(200);
            assertThat(origin.detail()).startsWith("Onyx quantizer: static int8, minmax calibration over 200 texts");
            String text = "Static scales keep a text's vector independent of its batch.";
            assertThat(Reference.cosine(int8.embed(text), fp32.embed(text))).isGreaterThan(0.99);
            assertThat(fp32.info().precision()).isEqualTo(ModelPrecision.FP32);
        }
    }
}
