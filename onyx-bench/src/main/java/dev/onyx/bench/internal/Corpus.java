package dev.onyx.bench.internal;

import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The texts a benchmark embeds: non-blank lines of a file; immutable, so thread-safe.
 *
 * @param source where they came from, for the report
 * @param texts the texts, in file order
 */
public record Corpus(String source, List<String> texts) {
    /** The bundled corpus: the first 2,000 lines of the 1790–1899 State of the Union sentences. */
    public static final String BUNDLED = "dev/onyx/bench/sotu-sentences-1790-1899-first2000.txt";

    public Corpus {
        Objects.requireNonNull(source, "source");
        texts = List.copyOf(texts);
    }

    /**
     * Reads the first {@code count} non-blank lines of a file, or of the bundled corpus when none is given.
     *
     * @throws OnyxException when the file has fewer non-blank lines than requested
     */
    public static Corpus load(Optional<Path> file, int count) throws IOException {
        String text;
        String source;
        if (file.isPresent()) {
            text = Files.readString(file.get(), StandardCharsets.UTF_8);
            source = file.get().toString();
        } else {
            try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IOException("bundled corpus " + BUNDLED + " is missing from the classpath");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            source = "bundled " + BUNDLED.substring(BUNDLED.lastIndexOf('/') + 1);
        }
        List<String> lines =
                text.lines().filter(line -> !line.isBlank()).limit(count).toList();
        if (lines.size() < count) {
            throw new OnyxException(source + " has " + lines.size() + " non-blank lines; --n asked for " + count
                    + " (use --n <= " + lines.size() + " or a bigger --corpus)");
        }
        return new Corpus(source, lines);
    }

    /** SHA-256 of the texts joined with newlines, so a report names exactly what was embedded. */
    public String sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(digest.digest(String.join("\n", texts).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
