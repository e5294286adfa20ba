package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.runtime.InvalidModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model folders laid out as sentence-transformers writes them, built from the bundled model's real files. */
class FolderModelTest {
    @TempDir
    Path dir;

    static void copyResource(String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = FolderModelTest.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, target);
        }
    }

    private Path folder(boolean nested) throws IOException {
        copyResource("all-minilm-l6-v2.onnx", nested ? dir.resolve("onnx/model.onnx") : dir.resolve("model.onnx"));
        copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
        return dir;
    }

    @Test
    void folderWithSentenceTransformersConfigsMatchesTheBundledModel() throws Exception {
        Path model = folder(true);
        Files.writeString(model.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256}");
        Files.createDirectories(model.resolve("1_Pooling"));
        Files.writeString(model.resolve("1_Pooling/config.json"), "{\"pooling_mode_mean_tokens\": true}");
        Files.writeString(
                model.resolve("modules.json"),
                "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":"
                        + "\"sentence_transformers.models.Transformer\"},{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\","
                        + "\"type\":\"sentence_transformers.models.Pooling\"},{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\","
                        + "\"type\":\"sentence_transformers.models.Normalize\"}]");
        Files.writeString(model.resolve("config.json"), "{\"vocab_size\": 30522, \"hidden_size\": 384}");
        try (Embedder folder = Embedder.open(ModelSource.folder(model));
                Embedder bundled = Embedder.open(ModelSource.defaultModel())) {
            assertThat(folder.maxTokens()).isEqualTo(256);
            assertThat(folder.info().pooling()).isEqualTo(Pooling.MEAN);
            assertThat(folder.info().normalize()).isTrue();
            String text = "The folder and the jar hold the same model.";
            assertThat(Reference.cosine(folder.embed(text), bundled.embed(text)))
                    .isGreaterThan(0.999999);
        }
    }

    @Test
    void poolingAndNormalizeComeFromTheFolder() throws Exception {
        Path model = folder(false);
        Files.createDirectories(model.resolve("1_Pooling"));
        Files.writeString(model.resolve("1_Pooling/config.json"), "{\"pooling_mode_cls_token\": true}");
        Files.writeString(
                model.resolve("modules.json"),
                "[{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\","
                        + "\"type\":\"sentence_transformers.models.Pooling\"}]");
        try (Embedder e = Embedder.open(ModelSource.folder(model))) {
            assertThat(e.info().pooling()).isEqualTo(Pooling.CLS);
            assertThat(e.info().normalize()).isFalse();
            assertThat(e.maxTokens()).isEqualTo(512);
            float[] v = e.embed("not normalized");
            assertThat(Math.sqrt(EmbedderTest.dot(v, v))).isGreaterThan(1.5);
        }
    }

    @Test
    void missingOnnxFileNamesThePathsTried() throws Exception {
        copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(dir)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(dir.resolve("onnx/model.onnx").toString())
                .hasMessageContaining(dir.resolve("model.onnx").toString());
    }

    @Test
    void missingTokenizerIsNamed() throws Exception {
        copyResource("all-minilm-l6-v2.onnx", dir.resolve("model.onnx"));
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(dir)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void corruptOnnxFileFailsAtOpenWithTheFileName() throws Exception {
        copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
        Files.write(dir.resolve("model.onnx"), "this is not a protobuf".getBytes());
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(dir)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model.onnx");
    }

    @Test
    void tokenizerWithALargerVocabularyThanTheModelFailsAtOpen() throws Exception {
        Path model = folder(false);
        ObjectMapper json = new ObjectMapper();
        ObjectNode tokenizer =
                (ObjectNode) json.readTree(model.resolve("tokenizer.json").toFile());
        ObjectNode added = ((ArrayNode) tokenizer.get("added_tokens")).addObject();
        added.put("id", 40000)
                .put("content", "[EXTRA]")
                .put("single_word", false)
                .put("lstrip", false);
        added.put("rstrip", false).put("normalized", false).put("special", true);
        json.writeValue(model.resolve("tokenizer.json").toFile(), tokenizer);
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(model)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("token ids up to 40000")
                .hasMessageContaining("does not belong to this model");
    }

    @Test
    void configVocabSizeSmallerThanTheTokenizerFailsAtOpen() throws Exception {
        Path model = folder(false);
        Files.writeString(model.resolve("config.json"), "{\"vocab_size\": 1000}");
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(model)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("vocab_size 1000");
    }

    @Test
    void malformedConfigJsonIsNamed() throws Exception {
        Path model = folder(false);
        Files.writeString(model.resolve("sentence_bert_config.json"), "{not json");
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(model)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentence_bert_config.json");
        assertThat(Arrays.asList(dir.toFile().list())).contains("model.onnx");
    }

    @Test
    void aNegativeMaxSeqLengthIsRefusedNamingFileFieldValueAndWhatIsAllowed() throws Exception {
        Path model = folder(false);
        Path file = Files.writeString(model.resolve("sentence_bert_config.json"), "{\"max_seq_length\": -5}");
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(model)))
                .isInstanceOf(dev.onyx.runtime.InvalidModelException.class)
                .hasMessage(file + ": max_seq_length is -5; allowed: a whole number from 1 to 2147483647");
    }

    @Test
    void aMaxPositionEmbeddingsThatIsNotANumberIsRefused() throws Exception {
        Path model = folder(false);
        Path file = Files.writeString(model.resolve("config.json"), "{\"max_position_embeddings\": \"lots\"}");
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(model)))
                .isInstanceOf(dev.onyx.runtime.InvalidModelException.class)
                .hasMessage(
                        file + ": max_position_embeddings is \"lots\"; allowed: a whole number from 1 to 2147483647");
    }

    @Test
    void aFractionalVocabSizeIsRefused() throws Exception {
        Path model = folder(false);
        Path file = Files.writeString(model.resolve("config.json"), "{\"vocab_size\": 30522.5}");
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(model)))
                .isInstanceOf(dev.onyx.runtime.InvalidModelException.class)
                .hasMessageStartingWith(file + ": vocab_size is 30522.5; allowed: a whole number");
    }

    @Test
    void anEmptyModelFileIsOneLineWithoutCppDetail() throws Exception {
        Path model = folder(false);
        Files.write(model.resolve("model.onnx"), new byte[0]);
        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(model)))
                .isInstanceOf(dev.onyx.runtime.InvalidModelException.class)
                .hasMessage("not an ONNX model: " + model.resolve("model.onnx") + " (the file is empty)");
    }
}
