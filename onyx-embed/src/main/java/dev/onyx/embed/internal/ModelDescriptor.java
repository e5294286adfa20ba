package dev.onyx.embed.internal;

import dev.onyx.embed.Pooling;
import java.nio.file.Path;
import java.util.Objects;
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
        OptionalInt vocabSize) {
    public ModelDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(onnxFile, "onnxFile");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(vocabSize, "vocabSize");
        if ((tokenizerFile == null) == (tokenizerResource == null)) {
            throw new IllegalArgumentException("exactly one of tokenizerFile and tokenizerResource must be given");
        }
    }

    /** Where tokenizer.json comes from, for messages. */
    public String tokenizerLabel() {
        return tokenizerFile != null ? tokenizerFile.toString() : "classpath:" + tokenizerResource;
    }
}
