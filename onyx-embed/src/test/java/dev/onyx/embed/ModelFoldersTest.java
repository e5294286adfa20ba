package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.InvalidModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sentence-transformers folders built from the carried int8 BGE: pooling, length, prompts, ONNX variants. */
class ModelFoldersTest {
    private static final String BGE_PROMPT = "Represent this sentence for searching relevant passages: ";

    @TempDir
    Path dir;

    /** A folder as sentence-transformers writes it, with the ONNX file at {@code onnxPath}. */
    private Path bgeFolder(String onnxPath, String stConfig) throws Exception {
        Path folder = dir.resolve("bge-small-en-v1.5");
        write(folder, "tokenizer.json", HubFixture.resource("bge-small-en-v1.5-q-tokenizer.json"));
        write(folder, onnxPath, HubFixture.resource("bge-small-en-v1.5-q.onnx"));
        write(
                folder,
                "modules.json",
                ("[{\"idx\":0,\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                                + "{\"idx\":1,\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},"
                                + "{\"idx\":2,\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}]")
                        .getBytes());
        write(
                folder,
                "1_Pooling/config.json",
                "{\"pooling_mode_cls_token\":true,\"pooling_mode_mean_tokens\":false}".getBytes());
        write(folder, "sentence_bert_config.json", "{\"max_seq_length\":512}".getBytes());
        write(folder, "config_sentence_transformers.json", stConfig.getBytes());
        return folder;
    }

    private static void write(Path folder, String path, byte[] bytes) throws Exception {
        Path file = folder.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static String prompts(String defaultName) {
        return "{\"prompts\":{\"query\":\"" + BGE_PROMPT + "\",\"document\":\"\"},\"default_prompt_name\":"
                + (defaultName == null ? "null" : "\"" + defaultName + "\"") + "}";
    }

    @Test
    void aQuantizedVariantFolderEmbedsLikeTheCatalogModel() throws Exception {
        Path folder = bgeFolder("onnx/model_quantized.onnx", prompts(null));
        List<String> texts = List.of("CLS pooling comes from 1_Pooling/config.json", "short");
        try (Embedder fromFolder = Embedder.open(new ModelSource.Folder(folder, Optional.of("quantized")));
                Embedder fromJar = Embedder.open(ModelSource.bundled("bge-small-en-v1.5-q"))) {
            assertThat(fromFolder.info().pooling()).isEqualTo(Pooling.CLS);
            assertThat(fromFolder.maxTokens()).isEqualTo(512);
            assertThat(fromFolder.prompts()).containsEntry("query", BGE_PROMPT);
            assertThat(fromFolder.defaultPromptName()).isEmpty();
            for (int i = 0; i < texts.size(); i++) {
                assertThat(fromFolder.embed(texts).vector(i))
                        .containsExactly(fromJar.embed(texts).vector(i));
            }
            // the catalog carries BGE's query instruction too
            assertThat(fromJar.embed(List.of("x"), EmbedRequest.defaults().withPromptName("query"))
                            .vector(0))
                    .containsExactly(fromFolder.embed(BGE_PROMPT + "x"));
        }
    }

    @Test
    void aVariantCanBeNamedByItsPath() throws Exception {
        Path folder = bgeFolder("onnx/model_qint8_avx512.onnx", prompts(null));
        try (Embedder e = Embedder.open(new ModelSource.Folder(folder, Optional.of("onnx/model_qint8_avx512.onnx")))) {
            assertThat(e.dimension()).isEqualTo(384);
        }
    }

    @Test
    void aMissingDefaultOnnxFileListsTheVariantsPresent() throws Exception {
        Path folder = bgeFolder("onnx/model_quantized.onnx", prompts(null));
        Files.write(folder.resolve("onnx/model_O4.onnx"), new byte[] {0});

        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(folder)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("onnx/model.onnx")
                .hasMessageContaining("[O4, quantized]");
        assertThatThrownBy(() -> Embedder.open(new ModelSource.Folder(folder, Optional.of("fp16"))))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("onnx/model_fp16.onnx");
    }

    @Test
    void theDefaultPromptFromTheFolderAppliesWhenARequestNamesNone() throws Exception {
        Path folder = bgeFolder("onnx/model.onnx", prompts("query"));
        try (Embedder e = Embedder.open(ModelSource.folder(folder))) {
            assertThat(e.defaultPromptName()).contains("query");
            assertThat(e.embed(List.of("x"), EmbedRequest.defaults()).vector(0))
                    .containsExactly(e.embed(BGE_PROMPT + "x"));
            assertThat(e.embed(List.of("x"), EmbedRequest.defaults().withPromptName("document"))
                            .vector(0))
                    .containsExactly(e.embed("x"));
            assertThat(e.embed(List.of("x"), EmbedRequest.defaults().withPrompt(""))
                            .vector(0))
                    .containsExactly(e.embed("x"));
        }
    }

    @Test
    void aDefaultPromptNameThatIsNoPromptIsAnInvalidModel() throws Exception {
        Path folder = bgeFolder("onnx/model.onnx", prompts("passage"));

        assertThatThrownBy(() -> Embedder.open(ModelSource.folder(folder)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("config_sentence_transformers.json")
                .hasMessageContaining("'passage'")
                .hasMessageContaining("[query, document]");
    }

    @Test
    void parseTellsCatalogNamesHubIdsAndFoldersApart() throws Exception {
        assertThat(ModelSource.parse("bge-small-en-v1.5")).isEqualTo(new ModelSource.Bundled("bge-small-en-v1.5"));
        // a hub id the catalog knows, with its carrier on the classpath, is the bundled model
        assertThat(ModelSource.parse("BAAI/bge-small-en-v1.5")).isEqualTo(new ModelSource.Bundled("bge-small-en-v1.5"));
        assertThat(ModelSource.parse("intfloat/e5-small-v2")).isEqualTo(new ModelSource.Bundled("e5-small-v2"));
        assertThat(ModelSource.parse("mixedbread-ai/mxbai-embed-xsmall-v1"))
                .isEqualTo(new ModelSource.Hub("mixedbread-ai/mxbai-embed-xsmall-v1"));
        assertThat(ModelSource.parse(dir.toString())).isEqualTo(new ModelSource.Folder(dir));
        assertThatThrownBy(() -> ModelSource.parse("not a model"))
                .hasMessageContaining("'not a model'")
                .hasMessageContaining("bge-small-en-v1.5-q")
                .hasMessageContaining("ORG/NAME");
    }

    @Test
    void parseWithRevisionAndVariantPicksTheHubTheFolderFileOrTheQuantizedCatalogEntry() {
        Optional<String> quantized = Optional.of("quantized");
        assertThat(ModelSource.parse("BAAI/bge-small-en-v1.5", Optional.of("v2"), quantized))
                .isEqualTo(new ModelSource.Hub("BAAI/bge-small-en-v1.5", "v2", quantized));
        assertThat(ModelSource.parse(dir.toString(), Optional.empty(), quantized))
                .isEqualTo(new ModelSource.Folder(dir, quantized));
        assertThat(ModelSource.parse("e5-small-v2", Optional.empty(), quantized))
                .isEqualTo(new ModelSource.Bundled("e5-small-v2-q"));
        assertThatThrownBy(() -> ModelSource.parse("e5-small-v2", Optional.empty(), Optional.of("O4")))
                .hasMessageContaining("no variant 'O4'");
        assertThatThrownBy(() -> ModelSource.parse(dir.toString(), Optional.of("main"), Optional.empty()))
                .hasMessageContaining("revision 'main' applies to hub models");
    }
}
