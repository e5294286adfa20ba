package dev.onyx.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @Test
    void bundledCorpusHoldsTwoThousandSentences() throws Exception {
        Corpus corpus = Corpus.load(Optional.empty(), 2000);

        assertThat(corpus.texts()).hasSize(2000).allSatisfy(t -> assertThat(t).isNotBlank());
        assertThat(corpus.texts().get(0)).startsWith("Fellow-Citizens of the Senate");
        assertThat(corpus.sha256()).hasSize(64);
    }

    @Test
    void blankLinesAreSkipped(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.txt"), "one\n\n  \ntwo\nthree\n");

        assertThat(Corpus.load(Optional.of(file), 2).texts()).containsExactly("one", "two");
    }

    @Test
    void askingForMoreTextsThanTheFileHasIsAnError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.txt"), "one\ntwo\n");

        assertThatThrownBy(() -> Corpus.load(Optional.of(file), 3))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("has 2 non-blank lines; --n asked for 3");
    }
}
