package dev.onyx.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpOptionsTest {
    @TempDir
    Path dir;

    @Test
    void modelSpecsAreNameEqualsSourceOrJustASource() {
        assertThat(NamedModel.parse("mini=all-minilm-l6-v2"))
                .isEqualTo(new NamedModel("mini", ModelSource.defaultModel()));
        assertThat(NamedModel.parse("all-minilm-l6-v2")).isEqualTo(NamedModel.defaultModel());
        assertThat(NamedModel.parse("local=" + dir).source()).isEqualTo(new ModelSource.Folder(dir));
    }

    @Test
    void unknownSourcesBlankNamesAndDuplicatesAreRejected() {
        assertThatThrownBy(() -> NamedModel.parse("x=no-such-model"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("model 'no-such-model' is neither a known model");
        assertThatThrownBy(() -> NamedModel.parse("=all-minilm-l6-v2")).hasMessageContaining("must not be blank");
        assertThatThrownBy(() ->
                        McpOptions.defaults().withModels(List.of(NamedModel.defaultModel(), NamedModel.defaultModel())))
                .hasMessageContaining("model name 'all-minilm-l6-v2' is given twice");
        assertThatThrownBy(() -> McpOptions.defaults().withModels(List.of()))
                .hasMessageContaining("at least one model");
    }
}
