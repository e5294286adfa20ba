package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStackTest {
    @TempDir
    Path dir;

    private LayerStack load(String layers) throws Exception {
        return LayerStack.load(LayerStackSpec.parse(
                "{\"input\":{\"type\":\"int64\",\"length\":3},\"layers\":[" + layers + "],\"weights\":\"seeded\"}",
                dir));
    }

    /** Writes a safetensors file: 8-byte little-endian header length, JSON header, F32 data. */
    private static void writeSafetensors(Path file, String[] names, long[][] shapes, float[][] values)
            throws Exception {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (int i = 0; i < names.length; i++) {
            long end = offset + 4L * values[i].length;
            header.append(String.format(
                    "%s\"%s\":{\"dtype\":\"F32\",\"shape\":%s,\"data_offsets\":[%d,%d]}",
                    i == 0 ? "" : ",", names[i], java.util.Arrays.toString(shapes[i]), offset, end));
            offset = end;
        }
        byte[] json = header.append("}").toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length)
                .array());
        out.write(json);
        for (float[] tensor : values) {
            ByteBuffer data = ByteBuffer.allocate(4 * tensor.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : tensor) {
                data.putFloat(v);
            }
            out.write(data.array());
        }
        Files.write(file, out.toByteArray());
    }

    @Test
    void safetensorsWeightsGiveTheMaskedMeanKerasComputes() throws Exception {
        writeSafetensors(
                dir.resolve("w.safetensors"),
                new String[] {"emb", "k", "b"},
                new long[][] {{3, 2}, {2, 1}, {1}},
                new float[][] {{9, 9, 1, 2, 3, 4}, {1, 10}, {0.5f}});
        LayerStack stack = LayerStack.load(LayerStackSpec.parse("""
                {"name":"tiny","input":{"name":"ids","type":"int64","length":3},
                 "layers":[{"type":"embedding","vocab":3,"dim":2,"mask_zero":true,"embeddings":"emb"},
                           {"type":"dense","units":1,"activation":"linear","kernel":"k","bias":"b"},
                           {"type":"global_average_pooling_1d"}],
                 "weights":"w.safetensors"}
                """, dir));

        double[][] y = LayerStackEvaluator.of(stack).evaluate(new long[][] {{1, 2, 0}, {0, 0, 0}});

        // tokens 1 and 2 → dense values 1+20+0.5 = 21.5 and 3+40+0.5 = 43.5; the pad is masked out
        assertThat(y[0][0]).isCloseTo(32.5, offset(1e-9));
        assertThat(y[1][0]).isEqualTo(0.0);
        Path file = dir.resolve("tiny.onnx");
        LayerStackExporter.export(stack).writeTo(file);
        LayerStackRoundTripTest.assertSameAsJava(stack, file, new SplittableRandom(1), "tiny");
    }

    @Test
    void safetensorsTensorWithWrongShapeOrMissingNameIsRejected() throws Exception {
        writeSafetensors(
                dir.resolve("w.safetensors"), new String[] {"k"}, new long[][] {{3}}, new float[][] {{1, 2, 3}});
        String spec = "{\"input\":{\"type\":\"float32\",\"length\":2},\"layers\":[{\"type\":\"dense\",\"units\":1,"
                + "\"kernel\":\"k\",\"bias\":\"%s\"}],\"weights\":\"w.safetensors\"}";

        assertThatThrownBy(() -> LayerStack.load(LayerStackSpec.parse(String.format(spec, "k"), dir)))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("tensor 'k' has shape [3] but the layer needs [2, 1]");
    }

    @Test
    void misfittingLayersAreRejectedWithTheLayerNamed() {
        assertThatThrownBy(() -> load("{\"type\":\"dense\",\"units\":2}"))
                .hasMessageContaining("needs an embedding as the first layer");
        assertThatThrownBy(() -> load("{\"type\":\"embedding\",\"vocab\":4,\"dim\":2},{\"type\":\"embedding\","
                        + "\"vocab\":4,\"dim\":2}"))
                .hasMessageContaining("layer 1 (Embedding): an embedding must be the first layer");
        assertThatThrownBy(() -> load("{\"type\":\"embedding\",\"vocab\":4,\"dim\":2},{\"type\":\"conv1d\"}"))
                .hasMessageContaining("layer 1 has type 'conv1d'; allowed: embedding, dense");
        assertThatThrownBy(() -> load("{\"type\":\"embedding\",\"vocab\":4,\"dim\":2},{\"type\":\"dense\","
                        + "\"units\":2,\"activation\":\"gelu\"}"))
                .hasMessageContaining(
                        "unknown dense activation 'gelu'; supported: linear, relu, sigmoid, tanh, softmax");
        assertThatThrownBy(() ->
                        load("{\"type\":\"embedding\",\"vocab\":4,\"dim\":2},{\"type\":\"global_average_pooling_1d\"},"
                                + "{\"type\":\"global_average_pooling_1d\"}"))
                .hasMessageContaining("global_average_pooling_1d needs a sequence");
        assertThatThrownBy(() -> load("")).hasMessageContaining("has no layers");
    }

    @Test
    void tokenOutsideTheVocabularyIsRejectedByTheEvaluator() throws Exception {
        LayerStack stack = load("{\"type\":\"embedding\",\"vocab\":4,\"dim\":2}");

        assertThatThrownBy(() -> LayerStackEvaluator.of(stack).evaluate(new long[][] {{1, 4, 0}}))
                .hasMessageContaining("token id 4 at position 1 is outside the vocabulary [0, 4)");
    }
}
