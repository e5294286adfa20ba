package dev.onyx.embed.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.Pooling;
import dev.onyx.runtime.InvalidModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Reads a sentence-transformers model folder exported to ONNX; stateless, so thread-safe.
 *
 * <p>Files: {@code onnx/model.onnx} or {@code model.onnx}; {@code tokenizer.json}; optional {@code config.json}
 * (vocabulary size), {@code sentence_bert_config.json} ({@code max_seq_length}), {@code modules.json} (the pooling
 * folder and whether a {@code Normalize} module follows) and {@code 1_Pooling/config.json} (pooling mode). Without them:
 * mean pooling; normalization on unless a {@code modules.json} lists no {@code Normalize}; max length from
 * {@code config.json}'s {@code max_position_embeddings} (at most 512), else 512.
 */
public final class FolderModels {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int DEFAULT_MAX_TOKENS = 512;

    private FolderModels() {}

    public static ModelDescriptor resolve(Path dir) throws IOException {
        return resolve(dir, Optional.empty());
    }

    /** Resolves a folder with the ONNX file of a variant (see {@link OnnxVariants}); empty = the default file. */
    public static ModelDescriptor resolve(Path dir, Optional<String> variant) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelException("model folder not found: " + dir.toAbsolutePath());
        }
        Path onnx = onnxFile(dir, variant);
        Path tokenizer = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new InvalidModelException(
                    "model folder " + dir + " has no tokenizer.json (missing: " + tokenizer + ")");
        }
        Optional<JsonNode> config = readJson(dir.resolve("config.json"));
        Optional<JsonNode> modules = readJson(dir.resolve("modules.json"));
        Path poolingDir = modules.flatMap(m -> moduleOfType(m, "Pooling"))
                .map(path -> dir.resolve(path))
                .orElse(dir.resolve("1_Pooling"));
        Pooling pooling = readJson(poolingDir.resolve("config.json"))
                .map(FolderModels::pooling)
                .orElse(Pooling.MEAN);
        boolean normalize =
                modules.map(m -> moduleOfType(m, "Normalize").isPresent()).orElse(true);
        Path sentenceBert = dir.resolve("sentence_bert_config.json");
        Path configFile = dir.resolve("config.json");
        OptionalInt seqLength = positiveInt(readJson(sentenceBert), sentenceBert, "max_seq_length");
        OptionalInt positions = positiveInt(config, configFile, "max_position_embeddings");
        int maxTokens = seqLength.isPresent()
                ? seqLength.getAsInt()
                : Math.min(positions.orElse(DEFAULT_MAX_TOKENS), DEFAULT_MAX_TOKENS);
        OptionalInt vocab = positiveInt(config, configFile, "vocab_size");
        return new ModelDescriptor(
                name(dir),
                dir.toAbsolutePath().toString(),
                onnx,
                tokenizer,
                null,
                pooling,
                normalize,
                maxTokens,
                vocab,
                FolderPrompts.read(dir),
                FolderPrompts.defaultName(dir));
    }

    /** The folder's name, or {@code ORG/NAME} for a huggingface_hub snapshot {@code models--ORG--NAME/snapshots/<commit>}. */
    static String name(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Path repo = parent == null ? null : parent.getParent();
        if (repo != null
                && parent.getFileName().toString().equals("snapshots")
                && repo.getFileName().toString().startsWith("models--")) {
            return repo.getFileName().toString().substring("models--".length()).replace("--", "/");
        }
        return absolute.getFileName() == null
                ? absolute.toString()
                : absolute.getFileName().toString();
    }

    private static Path onnxFile(Path dir, Optional<String> variant) throws IOException {
        for (String candidate : OnnxVariants.candidates(variant)) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        List<String> present = new ArrayList<>();
        for (Path folder : List.of(dir, dir.resolve("onnx"))) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    files.map(f -> dir.relativize(f).toString().replace('\\', '/'))
                            .forEach(present::add);
                }
            }
        }
        throw new InvalidModelException("model folder " + dir + " has no ONNX file for "
                + OnnxVariants.describe(variant) + " (missing: "
                + String.join(
                        " and ",
                        OnnxVariants.candidates(variant).stream()
                                .map(c -> dir.resolve(c).toString())
                                .toList())
                + "); variants present: " + OnnxVariants.variantsIn(present)
                + (variant.isPresent() ? "" : " (pick one with a variant)"));
    }

    /**
     * A field that must be a whole number of at least 1 when it is present (absent or JSON null: empty).
     *
     * @throws InvalidModelException naming the file, the field, the value and what is allowed
     */
    static OptionalInt positiveInt(Optional<JsonNode> json, Path file, String field) throws InvalidModelException {
        if (json.isEmpty() || !json.get().has(field) || json.get().get(field).isNull()) {
            return OptionalInt.empty();
        }
        JsonNode value = json.get().get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw new InvalidModelException(
                    file + ": " + field + " is " + value + "; allowed: a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return OptionalInt.of(value.intValue());
    }

    static Optional<JsonNode> readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidModelException("cannot parse " + file + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Optional<String> moduleOfType(JsonNode modules, String simpleType) {
        for (JsonNode module : modules) {
            String type = module.path("type").asText("");
            if (type.equals(simpleType) || type.endsWith("." + simpleType)) {
                return Optional.of(module.path("path").asText(""));
            }
        }
        return Optional.empty();
    }

    static Pooling pooling(JsonNode config) {
        if (config.path("pooling_mode_cls_token").asBoolean(false)) {
            return Pooling.CLS;
        }
        if (config.path("pooling_mode_max_tokens").asBoolean(false)) {
            return Pooling.MAX;
        }
        return Pooling.MEAN;
    }
}
