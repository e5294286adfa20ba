package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What fusion does with graphs that are not BERT encoders; the bundled encoders are tested in onyx-embed. */
class TransformerFusionTest {
    @TempDir
    Path dir;

    @Test
    void aGraphWithoutSelfAttentionIsLeftAloneAndNothingIsWritten() throws Exception {
        LayerStack stack = LayerStack.load(LayerStackSpec.parse("""
                {"input":{"type":"int64","length":4},
                 "layers":[{"type":"embedding","vocab":10,"dim":8},{"type":"dense","units":3,"activation":"relu"},
                           {"type":"global_average_pooling_1d"}],
                 "weights":"seeded"}
                """, dir));
        Path model = dir.resolve("stack.onnx");
        LayerStackExporter.export(stack).writeTo(model);
        byte[] before = Files.readAllBytes(model);
        Path out = dir.resolve("fused.onnx");

        TransformerFusion.Report report = TransformerFusion.fuse(model, out);

        assertThat(report.fused()).isFalse();
        assertThat(report.attentionBlocks()).isZero();
        assertThat(report.reason()).contains("no self-attention block");
        assertThat(out).doesNotExist();
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void aFileThatIsNotAModelIsRefusedByName() throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});

        assertThatThrownBy(() -> TransformerFusion.fuse(junk, dir.resolve("out.onnx")))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining(junk.toString())
                .hasMessageContaining("not an ONNX model");
        assertThat(dir.resolve("out.onnx")).doesNotExist();
    }
}
