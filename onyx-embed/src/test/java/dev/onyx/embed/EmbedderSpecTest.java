package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The settings value both framework adapters build from: its checks, and resolving it against a real model (E5). */
class EmbedderSpecTest {
    /** E5 opened through a spec; the tests below hand its embedder to other specs as the caller's. */
    private static EmbedderSpec.Opened shared;

    private static Embedder e5;

    @BeforeAll
    static void openThroughASpec() {
        shared = EmbedderSpec.defaults().withModel("e5-small-v2-q").open();
        e5 = shared.embedder();
    }

    @AfterAll
    static void closeTheSharedModel() {
        shared.close();
    }

    @Test
    void defaultsAreTheBundledModelWithOnyxsOptions() {
        EmbedderSpec spec = EmbedderSpec.defaults();
        assertThat(spec.model()).isEmpty();
        assertThat(spec.embedder()).isEmpty();
        assertThat(spec.options()).isEqualTo(EmbedOptions.defaults());
        assertThat(spec.queryPromptName()).isEmpty();
        assertThat(spec.documentPromptName()).isEmpty();
        assertThat(spec.dimensions()).isEmpty();
    }

    @Test
    void withersReturnNewValuesAndLeaveTheOriginalAlone() {
        EmbedderSpec base = EmbedderSpec.defaults();
        EmbedderSpec changed = base.withModel("bge-small-en-v1.5")
                .withQueryPromptName("query")
                .withDocumentPromptName("passage")
                .withDimensions(128)
                .withOptions(EmbedOptions.defaults().withMaxBatchSize(4));

        assertThat(changed.model()).contains("bge-small-en-v1.5");
        assertThat(changed.queryPromptName()).contains("query");
        assertThat(changed.documentPromptName()).contains("passage");
        assertThat(changed.dimensions()).contains(128);
        assertThat(changed.options().maxBatchSize()).isEqualTo(4);
        assertThat(base).isEqualTo(EmbedderSpec.defaults());
    }

    @Test
    void badValuesAreRefusedNamingTheProblemAndWhatIsAllowed() {
        EmbedderSpec spec = EmbedderSpec.defaults();
        assertThatThrownBy(() -> spec.withDimensions(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions must be at least 1, was 0")
                .hasMessageContaining("allowed: 1 up to the model's dimension");
        assertThatThrownBy(() -> spec.withModel(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model must not be blank")
                .hasMessageContaining("all-minilm-l6-v2")
                .hasMessageContaining("ORG/NAME");
        assertThatThrownBy(() -> spec.withQueryPromptName(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queryPromptName must not be blank");
        assertThatThrownBy(() -> spec.withDocumentPromptName(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("documentPromptName must not be blank");
        assertThatThrownBy(() -> spec.withOptions(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void openingChecksTheSettingsAgainstTheModel() {
        EmbedderSpec onE5 = EmbedderSpec.defaults().withEmbedder(e5);

        assertThatThrownBy(() -> onE5.withModel("e5-small-v2-q").open())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("either a model ('e5-small-v2-q') or an embedder, not both");
        assertThatThrownBy(() -> onE5.withDimensions(400).open())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("dimensions 400 is more than model")
                .hasMessageContaining("allowed: 1..384");
        assertThatThrownBy(() -> onE5.withQueryPromptName("question").open())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("prompt 'question' is not one of model e5-small-v2-q's prompts [")
                .hasMessageContaining("passage")
                .hasMessageContaining("query");
        assertThatThrownBy(
                        () -> EmbedderSpec.defaults().withModel("no-such-model").open())
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("no-such-model")
                .hasMessageContaining("ORG/NAME");
        // a failed check leaves the caller's embedder open
        assertThat(e5.embed("still open")).hasSize(384);
    }

    @Test
    void aCallersEmbedderGetsTheModelsPromptsAndStaysOpen() {
        EmbedderSpec.Opened opened =
                EmbedderSpec.defaults().withEmbedder(e5).withDimensions(64).open();

        assertThat(opened.owned()).isFalse();
        assertThat(opened.prompts()).isEqualTo(new PromptRoles(Optional.of("query"), Optional.of("passage")));
        assertThat(opened.dimension()).isEqualTo(64);
        opened.close();
        assertThat(e5.embed(List.of("x"), opened.prompts().request(true, opened.dimensions()))
                        .vector(0))
                .hasSize(64);
    }

    @Test
    void anOpenedModelIsOwnedAndClosedWithTheResult() {
        EmbedderSpec.Opened opened = EmbedderSpec.defaults()
                .withModel("e5-small-v2-q")
                .withOptions(EmbedOptions.defaults().withWarmUp(false))
                .withDocumentPromptName("query")
                .open();

        assertThat(opened.owned()).isTrue();
        assertThat(opened.prompts().document()).contains("query");
        assertThat(opened.dimension()).isEqualTo(384);
        assertThat(opened.embedder().embed("open")).hasSize(384);
        opened.close();
        opened.close();
        assertThatThrownBy(() -> opened.embedder().embed("after close"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("closed");
    }
}
