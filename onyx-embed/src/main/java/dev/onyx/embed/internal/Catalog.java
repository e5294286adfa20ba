package dev.onyx.embed.internal;

import dev.onyx.embed.Pooling;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The models Onyx knows by name, with what their files do not say; immutable, so thread-safe. */
public final class Catalog {
    /**
     * One catalog model.
     *
     * @param name canonical name
     * @param aliases other accepted names (hub ids, lower case)
     * @param onnxResource classpath resource of the ONNX file
     * @param tokenizerResource classpath resource of tokenizer.json
     * @param carrier the Maven coordinates of the jar that carries both
     * @param pooling pooling, as sentence-transformers configures the model
     * @param normalize whether sentence-transformers normalizes its output
     * @param maxTokens sentence-transformers' max_seq_length
     * @param prompts the prompts the model was trained with, by name (prepended to texts on request)
     * @param dimension length of the output vectors
     * @param carrierBytes size of the carrier jar (what a first use downloads)
     */
    public record Entry(
            String name,
            List<String> aliases,
            String onnxResource,
            String tokenizerResource,
            String carrier,
            Pooling pooling,
            boolean normalize,
            int maxTokens,
            Map<String, String> prompts,
            int dimension,
            long carrierBytes) {
        public Entry {
            Objects.requireNonNull(name, "name");
            aliases = List.copyOf(aliases);
            prompts = Map.copyOf(prompts);
        }

        /** Whether the weights are int8-quantized (the {@code -q} entries); the others are float32. */
        public boolean quantized() {
            return name.endsWith("-q");
        }

        /** The carrier's {@code groupId}. */
        public String groupId() {
            return carrier.split(":")[0];
        }

        /** The carrier's {@code artifactId}. */
        public String artifactId() {
            return carrier.split(":")[1];
        }

        /** The carrier's version. */
        public String version() {
            return carrier.split(":")[2];
        }

        /** Whether the carrier jar is on the classpath. */
        public boolean carried() {
            return Catalog.class.getClassLoader().getResource(onnxResource) != null;
        }
    }

    private static final String LANGCHAIN4J = "dev.langchain4j:langchain4j-embeddings-";
    private static final Map<String, String> BGE_PROMPTS =
            Map.of("query", "Represent this sentence for searching relevant passages: ");
    private static final Map<String, String> E5_PROMPTS = Map.of("query", "query: ", "passage", "passage: ");

    private static final List<Entry> ENTRIES = List.of(
            entry(
                    "all-minilm-l6-v2",
                    "sentence-transformers/all-minilm-l6-v2",
                    "all-minilm-l6-v2:1.19.0-beta29",
                    256,
                    83_072_218L),
            entry("all-minilm-l6-v2-q", null, "all-minilm-l6-v2-q:1.19.0-beta29", 256, 16_430_373L),
            entry("bge-small-en-v1.5", "baai/bge-small-en-v1.5", "bge-small-en-v15:0.36.2", 512, 77_768_709L),
            entry("bge-small-en-v1.5-q", null, "bge-small-en-v15-q:0.36.2", 512, 24_567_589L),
            entry("e5-small-v2", "intfloat/e5-small-v2", "e5-small-v2:0.36.2", 512, 78_761_440L),
            entry("e5-small-v2-q", null, "e5-small-v2-q:0.36.2", 512, 24_715_739L));

    private Catalog() {}

    private static Entry entry(String name, String hubId, String artifact, int maxTokens, long carrierBytes) {
        boolean bge = name.startsWith("bge-");
        return new Entry(
                name,
                hubId == null ? List.of() : List.of(hubId),
                name + ".onnx",
                name + "-tokenizer.json",
                LANGCHAIN4J + artifact,
                bge ? Pooling.CLS : Pooling.MEAN,
                true,
                maxTokens,
                bge ? BGE_PROMPTS : name.startsWith("e5-") ? E5_PROMPTS : Map.of(),
                384,
                carrierBytes);
    }

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

    /** The message for a name that is not in the catalog: the catalog's names and the other kinds of model. */
    public static String unknown(String name) {
        return "'" + name + "' is not a catalog model; catalog models: " + String.join(", ", names())
                + "; other models: a sentence-transformers ONNX model folder (a path) or a Hugging Face hub"
                + " repository ORG/NAME";
    }

    /** The canonical names, for error messages. */
    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }
}
