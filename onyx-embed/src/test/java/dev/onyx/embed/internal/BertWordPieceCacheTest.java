package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary copy of a parsed WordPiece tokenizer: written once, read back equal, and rebuilt when damaged. */
class BertWordPieceCacheTest {
    private static final List<String> TEXTS = List.of(
            "Hello, World! naïve café", "unaffable [MASK] tokenizers", "東京 is in 日本", "x".repeat(120), "Ünïcödé—ok?");

    private static byte[] json() throws Exception {
        try (InputStream in = BertWordPieceCacheTest.class
                .getClassLoader()
                .getResourceAsStream(
                        Catalog.find("all-minilm-l6-v2").orElseThrow().tokenizerResource())) {
            return in.readAllBytes();
        }
    }

    private static void assertSameTokens(BertWordPiece a, BertWordPiece b) {
        for (String text : TEXTS) {
            assertThat(a.tokens(text)).as(text).isEqualTo(b.tokens(text));
            assertThat(a.encode(text).ids()).as(text).isEqualTo(b.encode(text).ids());
        }
        assertThat(a.maxTokenId()).isEqualTo(b.maxTokenId());
    }

    @Test
    void theCopyIsWrittenOnceAndReadsBackToTheSameTokenizer(@TempDir Path cache) throws Exception {
        byte[] json = json();
        BertWordPiece parsed = BertWordPiece.from(json).orElseThrow();

        BertWordPiece first = BertWordPiece.cached(json, cache).orElseThrow();
        List<Path> copies;
        try (var files = Files.list(cache)) {
            copies = files.toList();
        }
        assertThat(copies).hasSize(1);
        assertThat(copies.get(0).getFileName().toString()).endsWith(".wordpiece");
        long written = Files.getLastModifiedTime(copies.get(0)).toMillis();

        BertWordPiece second = BertWordPiece.cached(json, cache).orElseThrow();
        assertSameTokens(parsed, first);
        assertSameTokens(parsed, second);
        assertThat(Files.getLastModifiedTime(copies.get(0)).toMillis()).isEqualTo(written);
    }

    @Test
    void aDamagedCopyIsIgnoredAndRebuilt(@TempDir Path cache) throws Exception {
        byte[] json = json();
        BertWordPiece.cached(json, cache).orElseThrow();
        Path copy;
        try (var files = Files.list(cache)) {
            copy = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(copy);
        Files.write(copy, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated

        BertWordPiece rebuilt = BertWordPiece.cached(json, cache).orElseThrow();

        assertSameTokens(BertWordPiece.from(json).orElseThrow(), rebuilt);
        assertThat(Files.size(copy)).isEqualTo(bytes.length);
    }

    @Test
    void aTokenizerOfAnotherKindIsNotCopied(@TempDir Path cache) {
        byte[] unigram =
                "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", -1.0]]}}".getBytes(StandardCharsets.UTF_8);

        assertThat(BertWordPiece.cached(unigram, cache)).isEmpty();
        assertThat(cache.toFile().list()).isEmpty();
        // a WordPiece model behind another normalizer is not BERT's pipeline either
        byte[] nfc = ("{\"normalizer\": {\"type\": \"NFC\"}, \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"},"
                        + " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"[UNK]\": 0}}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(BertWordPiece.from(nfc)).isEmpty();
    }
}
