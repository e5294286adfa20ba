package dev.onyx.embed.internal;

import dev.onyx.embed.Pooling;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything needed to open a model, resolved from a catalog entry or a folder; immutable.
 *
 * @param name model name
 * @param source human-readable origin (folder path or carrier artifact)
 * @param onnxFile the ONNX file on disk
 * @param tokenizerFile tokenizer.json on disk, or empty when {@code tokenizerResource} is used
 * @param tokenizerResource classpath resource of tokenizer.json, or null when {@code tokenizerFile} is used
 * @param pooling the model's pooling
 * @param normalize whether the model's output is L2-normalized
 * @param maxTokens the model's max_seq_length
 * @param vocabSize the model's vocabulary size from config.json, if known
 * @param prompts the model's named prompts (sentence-transformers' {@code prompts}), prepended to texts
 * @param defaultPromptName the prompt applied when a call names none ({@code default_prompt_name}), if any
 */
public record ModelDescriptor(
        String name,
        String source,
        Path onnxFile,
        Path tokenizerFile,
        String tokenizerResource,
        Pooling pooling,
        boolean normalize,
        int maxTokens,
        OptionalInt vocabSize,
        Map<String, String> prompts,
        Optional<String> defaultPromptName) {
    public ModelDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(onnxFile, "onnxFile");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(vocabSize, "vocabSize");
        prompts = Map.copyOf(Objects.requireNonNull(prompts, "prompts"));
        Objects.requireNonNull(defaultPromptName, "defaultPromptName");
        if ((tokenizerFile == null) == (tokenizerResource == null)) {
            throw new IllegalArgumentException("exactly one of tokenizerFile and tokenizerResource must be given");
        }
        if (defaultPromptName.isPresent() && !prompts.containsKey(defaultPromptName.get())) {
            throw new IllegalArgumentException(
                    "default prompt '" + defaultPromptName.get() + "' is not one of " + prompts.keySet());
        }
    }

    /** A model without prompts. */
    public ModelDescriptor(
            String name,
            String source,
            Path onnxFile,
            Path tokenizerFile,
            String tokenizerResource,
            Pooling pooling,
            boolean normalize,
            int maxTokens,
            OptionalInt vocabSize) {
        this(
                name,
                source,
                onnxFile,
                tokenizerFile,
                tokenizerResource,
                pooling,
                normalize,
                maxTokens,
                vocabSize,
                Map.of(),
                Optional.empty());
    }

    /** This model with other prompts. */
    public ModelDescriptor withPrompts(Map<String, String> prompts, Optional<String> defaultPromptName) {
        return new ModelDescriptor(
                name,
                source,
                onnxFile,
                tokenizerFile,
                tokenizerResource,
                pooling,
                normalize,
                maxTokens,
                vocabSize,
                prompts,
                defaultPromptName);
    }

    /** This model under another name and origin (a hub repository id and its snapshot). */
    public ModelDescriptor withName(String name, String source) {
        return new ModelDescriptor(
                name,
                source,
                onnxFile,
                tokenizerFile,
                tokenizerResource,
                pooling,
                normalize,
                maxTokens,
                vocabSize,
                prompts,
                defaultPromptName);
    }

    /** Where tokenizer.json comes from, for messages. */
    public String tokenizerLabel() {
        return tokenizerFile != null ? tokenizerFile.toString() : "classpath:" + tokenizerResource;
    }
}
