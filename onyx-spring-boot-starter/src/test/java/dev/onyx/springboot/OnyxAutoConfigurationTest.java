package dev.onyx.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.Embedder;
import dev.onyx.runtime.OnyxException;
import dev.onyx.springai.OnyxEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class OnyxAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OnyxEmbeddingAutoConfiguration.class));

    private void failsNaming(String property, String value, String... more) {
        runner.withPropertyValues("onyx.embedding." + property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString())
                    .contains("onyx.embedding." + property)
                    .contains(value);
            for (String expected : more) {
                assertThat(messages.toString()).contains(expected);
            }
        });
    }

    @Test
    void badConfigurationFailsTheStartNamingTheProperty() {
        failsNaming("model", "no-such-model", "all-minilm-l6-v2");
        failsNaming("device", "tpu", "cuda");
        failsNaming("max-batch-size", "-4", "maxBatchSize");
        failsNaming("long-text", "ignore", "truncate");
        failsNaming("intra-op-threads", "-1");
        failsNaming("query-prompt-name", "question", "prompt 'question'");
        failsNaming("dimensions", "4096", "384");
    }

    @Test
    void theContextClosesTheEmbedderItOpened() {
        AtomicReference<Embedder> opened = new AtomicReference<>();
        runner.run(context -> {
            assertThat(context).hasSingleBean(OnyxEmbeddingModel.class);
            opened.set(context.getBean(Embedder.class));
            assertThat(opened.get().embed("open")).hasSize(384);
        });
        assertThatThrownBy(() -> opened.get().embed("closed"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anApplicationsOwnEmbeddingModelWins() {
        runner.withBean(
                        "custom",
                        EmbeddingModel.class,
                        () -> OnyxEmbeddingModel.builder().dimensions(32).build())
                .run(context -> {
                    assertThat(context).hasSingleBean(EmbeddingModel.class);
                    assertThat(context.getBean(EmbeddingModel.class).dimensions())
                            .isEqualTo(32);
                });
    }

    @Test
    void propertiesCarryIdeMetadata() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("configuration metadata generated at build time").isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json)
                    .contains("\"onyx.embedding.model\"")
                    .contains("\"onyx.embedding.device\"")
                    .contains("\"onyx.embedding.strict-device\"")
                    .contains("\"onyx.embedding.long-text\"")
                    .contains("\"onyx.embedding.max-batch-size\"")
                    .contains("\"onyx.embedding.intra-op-threads\"")
                    .contains("The model: a catalog name");
        }
    }
}
