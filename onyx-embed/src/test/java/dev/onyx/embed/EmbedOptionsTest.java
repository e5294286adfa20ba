package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;

class EmbedOptionsTest {
    @Test
    void eachWitherChangesOneFieldAndKeepsTheRest() {
        EmbedOptions base = EmbedOptions.defaults()
                .withPooling(Pooling.CLS)
                .withNormalize(false)
                .withMaxTokens(100)
                .withLongTextPolicy(LongTextPolicy.CHUNK)
                .withMaxBatchSize(7)
                .withMaxBatchTokens(300)
                .withRuntime(RuntimeOptions.defaults().withIntraOpThreads(3))
                .withWarmUp(false)
                .withGraphFusion(false);
        assertThat(base.pooling()).contains(Pooling.CLS);
        assertThat(base.normalize()).contains(false);
        assertThat(base.maxTokens()).hasValue(100);
        assertThat(base.longTextPolicy()).isEqualTo(LongTextPolicy.CHUNK);
        assertThat(base.maxBatchSize()).isEqualTo(7);
        assertThat(base.maxBatchTokens()).isEqualTo(300);
        assertThat(base.runtime().intraOpThreads()).isEqualTo(3);
        assertThat(base.warmUp()).isFalse();
        assertThat(base.graphFusion()).isFalse();

        EmbedOptions changed = base.withGraphFusion(true);
        assertThat(changed)
                .isEqualTo(new EmbedOptions(
                        base.pooling(),
                        base.normalize(),
                        base.maxTokens(),
                        base.longTextPolicy(),
                        base.maxBatchSize(),
                        base.maxBatchTokens(),
                        base.runtime(),
                        base.warmUp(),
                        true));
    }

    @Test
    void defaultsAreSmallBatchesWithFusionOn() {
        EmbedOptions d = EmbedOptions.defaults();
        assertThat(d.maxBatchSize()).isEqualTo(16);
        assertThat(d.maxBatchTokens()).isEqualTo(1_024);
        assertThat(d.graphFusion()).isTrue();
        assertThatThrownBy(() -> d.withMaxBatchSize(0))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("between 1 and 65536");
    }
}
