package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Embedder#tokenize}, {@link Embedder#decode} and {@link Embedder#tokenEmbeddings}: what TEI's routes need. */
class TokenApiTest {
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
    void tokenizeGivesIdsPiecesAndPlacesInTheText() {
        String text = "Unbelievable café 🎉";

        List<Token> tokens = embedder.tokenize(text, true);

        assertThat(tokens.stream().mapToLong(Token::id).toArray()).isEqualTo(embedder.tokenIds(text));
        assertThat(tokens.get(0)).isEqualTo(new Token(101, "[CLS]", true, -1, -1));
        assertThat(tokens.get(tokens.size() - 1).piece()).isEqualTo("[SEP]");
        assertThat(tokens.get(1).piece()).isEqualTo("unbelievable");
        assertThat(text.substring(tokens.get(1).start(), tokens.get(1).end())).isEqualTo("Unbelievable");
        Token emoji = tokens.get(tokens.size() - 2);
        assertThat(text.substring(emoji.start(), emoji.end())).isEqualTo("🎉"); // a surrogate pair: 2 Java chars
        assertThat(embedder.tokenize(text, false)).isEqualTo(tokens.subList(1, tokens.size() - 1));
    }

    @Test
    void decodeJoinsWordPiecesAndCanKeepSpecialTokens() {
        long[] ids = embedder.tokenIds("Tokenization works");

        assertThat(embedder.decode(ids, true)).isEqualTo("tokenization works");
        assertThat(embedder.decode(ids, false)).isEqualTo("[CLS] tokenization works [SEP]");
        assertThatThrownBy(() -> embedder.decode(new long[] {101, -4}, true))
                .isInstanceOf(OnyxException.class)
                .hasMessage("ids[1] is token id -4; allowed are 0 to " + embedder.maxTokenId());
    }

    @Test
    void tokenEmbeddingsAreTheVectorsMeanPoolingAverages() {
        long[] ids = embedder.tokenIds("Hello world");

        float[][] tokens = embedder.tokenEmbeddings(ids);

        assertThat(tokens).hasNumberOfRows(ids.length);
        float[] mean = new float[embedder.dimension()];
        for (float[] token : tokens) {
            assertThat(token).hasSize(embedder.dimension());
            for (int d = 0; d < mean.length; d++) mean[d] += token[d] / tokens.length;
        }
        assertThat(Reference.cosine(mean, embedder.embed("Hello world"))).isGreaterThan(0.99999);
        assertThatThrownBy(() -> embedder.tokenEmbeddings(new long[0]))
                .isInstanceOf(OnyxException.class)
                .hasMessage("ids has 0 token ids; allowed are 1 to 256");
        assertThatThrownBy(() -> embedder.tokenEmbeddings(new long[] {101, 40_000}))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("ids[1] is token id 40000");
    }
}
