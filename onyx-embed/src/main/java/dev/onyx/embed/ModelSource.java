package dev.onyx.embed;

import dev.onyx.embed.internal.Catalog;
import dev.onyx.runtime.OnyxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an {@link Embedder}'s model comes from; immutable values, safe to share.
 *
 * <ul>
 *   <li>{@link Bundled}: a catalog model carried by a jar on the classpath (the default, all-MiniLM-L6-v2, always is);
 *   <li>{@link Folder}: a sentence-transformers model folder exported to ONNX.
 * </ul>
 */
public sealed interface ModelSource permits ModelSource.Bundled, ModelSource.Folder {

    /** The name of the default model. */
    String DEFAULT_MODEL = "all-minilm-l6-v2";

    /** A catalog model whose files a jar on the classpath carries. */
    record Bundled(String name) implements ModelSource {
        public Bundled {
            Objects.requireNonNull(name, "name");
            if (!Catalog.contains(name)) {
                throw new OnyxException("unknown bundled model '" + name + "'; known: " + Catalog.names());
            }
        }
    }

    /** A local sentence-transformers model folder ({@code onnx/model.onnx} or {@code model.onnx}, {@code tokenizer.json}, ...). */
    record Folder(Path directory) implements ModelSource {
        public Folder {
            Objects.requireNonNull(directory, "directory");
        }
    }

    /** The bundled all-MiniLM-L6-v2 (384 dimensions, mean pooling, 256 tokens). */
    static ModelSource defaultModel() {
        return new Bundled(DEFAULT_MODEL);
    }

    static ModelSource bundled(String name) {
        return new Bundled(name);
    }

    static ModelSource folder(Path directory) {
        return new Folder(directory);
    }

    /**
     * Parses what a user typed: a catalog name, or the path of a model folder.
     *
     * @throws OnyxException naming the catalog and the folder rule when it is neither
     */
    static ModelSource parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String trimmed = spec.trim();
        if (Catalog.contains(trimmed)) {
            return new Bundled(Catalog.canonicalName(trimmed));
        }
        Path path = Path.of(trimmed);
        if (Files.isDirectory(path)) {
            return new Folder(path);
        }
        throw new OnyxException(
                "model '" + spec + "' is neither a known model " + Catalog.names() + " nor an existing model folder");
    }
}
