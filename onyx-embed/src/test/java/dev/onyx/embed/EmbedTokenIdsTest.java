package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Embedder#embedTokenIds}: pre-tokenized input gives the same vectors as text input, and bad ids are named. */
class EmbedTokenIdsTest {
    private static Embedder embedder;

    @BeforeAll
    static void open() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void tokenIdsEmbedLikeTheirTexts() {
        List<String> texts = List.of("Hello world", "The Senate shall be composed of two Senators from each State.");
        List<long[]> ids = texts.stream().map(embedder::tokenIds).toList();

        Embeddings fromIds = embedder.embedTokenIds(ids, true);
        Embeddings fromTexts = embedder.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(Reference.cosine(fromIds.vector(i), fromTexts.vector(i))).isGreaterThan(0.99999);
            assertThat(fromIds.tokenCount(i)).isEqualTo(ids.get(i).length);
        }
    }

    @Test
    void withoutNormalizationTheVectorsKeepTheirPooledLength() {
        float[] raw = embedder.embedTokenIds(List.of(embedder.tokenIds("Hello world")), false)
                .vector(0);

        double norm = 0;
        for (float x : raw) norm += (double) x * x;
        assertThat(Math.sqrt(norm)).isGreaterThan(1.01);
        assertThat(Reference.cosine(raw, embedder.embed("Hello world"))).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void badIdsAreRefusedNamingTheInput() {
        assertThatThrownBy(() -> embedder.embedTokenIds(List.of(new long[] {101, 102}, new long[0]), true))
                .isInstanceOf(OnyxException.class)
                .hasMessage("ids[1] has 0 token ids; allowed are 1 to 256");
        assertThatThrownBy(() -> embedder.embedTokenIds(List.of(new long[] {101, 40_000, 102}), true))
                .isInstanceOf(OnyxException.class)
                .hasMessage("ids[0] holds token id 40000; allowed are 0 to " + embedder.maxTokenId());
        assertThatThrownBy(() -> embedder.embedTokenIds(List.of(new long[257]), true))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("257 token ids");
    }
}
