package dev.onyx.embed;

import dev.onyx.embed.internal.Catalog;
import dev.onyx.embed.internal.OnnxVariants;
import dev.onyx.runtime.OnyxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an {@link Embedder}'s model comes from; immutable values, safe to share.
 *
 * <ul>
 *   <li>{@link Bundled}: a catalog model ({@link ModelCatalog}): from its carrier jar on the classpath (the default,
 *       all-MiniLM-L6-v2, always is), else from Onyx's cache or the user's Maven repositories;
 *   <li>{@link Folder}: a sentence-transformers model folder exported to ONNX;
 *   <li>{@link Hub}: a Hugging Face hub repository, downloaded into (or found in) the huggingface_hub cache;
 *   <li>{@link Quantized}: one of those, quantized by Onyx on first use and kept in Onyx's cache
 *       ({@link QuantizedModels}); written {@code SOURCE?quantize=int8}.
 * </ul>
 */
public sealed interface ModelSource
        permits ModelSource.Bundled, ModelSource.Folder, ModelSource.Hub, ModelSource.Quantized {

    /** What follows a model spec to ask for Onyx's int8 copy of it: {@code all-minilm-l6-v2?quantize=int8}. */
    String QUANTIZE_SUFFIX = "?quantize=";

    /** The name of the default model. */
    String DEFAULT_MODEL = "all-minilm-l6-v2";

    /**
     * A catalog model: opened from its carrier jar when that is on the classpath, else from Onyx's cache, the local
     * Maven repository or the remote repositories of {@code ~/.m2/settings.xml} (see {@link ModelCatalog}).
     */
    record Bundled(String name) implements ModelSource {
        public Bundled {
            Objects.requireNonNull(name, "name");
            if (!Catalog.contains(name)) {
                throw new OnyxException("unknown bundled model '" + name + "'; known: " + Catalog.names());
            }
        }
    }

    /**
     * A local sentence-transformers model folder ({@code onnx/model.onnx} or {@code model.onnx}, {@code tokenizer.json},
     * ...).
     *
     * @param variant which ONNX file: empty = {@code onnx/model.onnx}; {@code quantized} = {@code
     *     onnx/model_quantized.onnx}; any {@code V} = {@code onnx/model_V.onnx}; a name ending in {@code .onnx} = that
     *     relative path
     */
    record Folder(Path directory, Optional<String> variant) implements ModelSource {
        public Folder {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(variant, "variant");
            OnnxVariants.candidates(variant); // validates
        }

        /** The folder's default ONNX file. */
        public Folder(Path directory) {
            this(directory, Optional.empty());
        }
    }

    /**
     * A Hugging Face hub model repository, e.g. {@code BAAI/bge-small-en-v1.5}.
     *
     * @param repo {@code ORG/NAME}
     * @param revision branch, tag or commit hash ({@code main} by default)
     * @param variant which ONNX file, as for {@link Folder}
     */
    record Hub(String repo, String revision, Optional<String> variant) implements ModelSource {
        static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*/[A-Za-z0-9_.\\-]+");
        static final Pattern REVISION = Pattern.compile("[A-Za-z0-9_.\\-/]+");

        public Hub {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(revision, "revision");
            Objects.requireNonNull(variant, "variant");
            if (!REPO.matcher(repo).matches() || repo.contains("..")) {
                throw new OnyxException(
                        "hub repository '" + repo + "' is not of the form ORG/NAME (letters, digits, '_', '-', '.')");
            }
            if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
                throw new OnyxException("hub revision '" + revision
                        + "' is not a branch, tag or commit (letters, digits, '_', '-', '.', '/')");
            }
            OnnxVariants.candidates(variant); // validates
        }

        /** The {@code main} revision's default ONNX file. */
        public Hub(String repo) {
            this(repo, "main", Optional.empty());
        }
    }

    /**
     * An fp32 model run through Onyx's static int8 quantizer ({@link Quantization}, default calibration) on first use;
     * the int8 copy is kept in Onyx's cache under the model file's checksum and the quantizer's version, so later uses
     * (in any process) reuse it ({@link QuantizedModels}).
     *
     * @param fp32 the model to quantize: a catalog, folder or hub source, not itself quantized
     * @param precision what to quantize to: {@link ModelPrecision#INT8}
     */
    record Quantized(ModelSource fp32, ModelPrecision precision) implements ModelSource {
        public Quantized {
            Objects.requireNonNull(fp32, "fp32");
            Objects.requireNonNull(precision, "precision");
            if (fp32 instanceof Quantized) {
                throw new OnyxException("model source " + fp32 + " is already quantized");
            }
            if (precision != ModelPrecision.INT8) {
                throw new OnyxException(
                        "cannot quantize to " + precision.label() + "; allowed: " + ModelPrecision.INT8.label());
            }
        }

        @Override
        public String toString() {
            return fp32 + QUANTIZE_SUFFIX + precision.label();
        }
    }

    /** {@code fp32} quantized to {@code precision}; a source already quantized to it is returned as it is. */
    static ModelSource quantized(ModelSource fp32, ModelPrecision precision) {
        Objects.requireNonNull(fp32, "fp32");
        if (fp32 instanceof Quantized q && q.precision() == precision) {
            return q;
        }
        return new Quantized(fp32, precision);
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

    static ModelSource hub(String repo) {
        return new Hub(repo);
    }

    /**
     * Parses what a user typed: a catalog name, the path of a model folder, or a hub repository {@code ORG/NAME}. A hub
     * id that the catalog knows (e.g. {@code BAAI/bge-small-en-v1.5}) means the bundled model when its carrier jar is on
     * the classpath. Any of them may end in {@code ?quantize=int8} ({@link Quantized}).
     *
     * @throws OnyxException naming the catalog, the folder and the hub rule when it is none of them, or the allowed
     *     values when the {@code ?quantize=} value is not one
     */
    static ModelSource parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        Optional<ModelPrecision> quantize = quantizeSuffix(spec);
        if (quantize.isPresent()) {
            return new Quantized(parse(withoutQuantizeSuffix(spec)), quantize.get());
        }
        String trimmed = spec.trim();
        Optional<Catalog.Entry> entry = Catalog.find(trimmed);
        if (entry.isPresent() && (!trimmed.contains("/") || entry.get().carried())) {
            return new Bundled(entry.get().name());
        }
        Path path = Path.of(trimmed);
        if (Files.isDirectory(path)) {
            return new Folder(path);
        }
        if (Hub.REPO.matcher(trimmed).matches()) {
            return new Hub(trimmed);
        }
        throw new OnyxException("model '" + spec + "' is neither a known model " + Catalog.names()
                + ", an existing model folder, nor a hub repository ORG/NAME");
    }

    /**
     * Parses what a user typed with a hub revision and an ONNX variant (command-line {@code --revision},
     * {@code --variant}). With either, a hub id means the hub even when the catalog knows it; a catalog name takes
     * variant {@code quantized} as its {@code -q} entry.
     *
     * @throws OnyxException when the spec is not a model, or the revision or variant do not apply to it
     */
    static ModelSource parse(String spec, Optional<String> revision, Optional<String> variant) {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(variant, "variant");
        Optional<ModelPrecision> quantize = quantizeSuffix(spec);
        if (quantize.isPresent()) {
            return new Quantized(parse(withoutQuantizeSuffix(spec), revision, variant), quantize.get());
        }
        if (revision.isEmpty() && variant.isEmpty()) {
            return parse(spec);
        }
        String trimmed = spec.trim();
        ModelSource source = trimmed.contains("/")
                        && !Files.isDirectory(Path.of(trimmed))
                        && Hub.REPO.matcher(trimmed).matches()
                ? new Hub(trimmed)
                : parse(trimmed);
        if (source instanceof Hub hub) {
            return new Hub(hub.repo(), revision.orElse(hub.revision()), variant);
        }
        if (revision.isPresent()) {
            throw new OnyxException(
                    "revision '" + revision.get() + "' applies to hub models (ORG/NAME), not to '" + spec + "'");
        }
        if (source instanceof Folder folder) {
            return new Folder(folder.directory(), variant);
        }
        String quantized = ((Bundled) source).name() + "-q";
        if (variant.get().equals("quantized") && Catalog.contains(quantized)) {
            return new Bundled(quantized);
        }
        throw new OnyxException("catalog model '" + spec + "' has no variant '" + variant.get()
                + "'; catalog variants are models of their own: " + Catalog.names());
    }

    /**
     * The precision a spec's {@code ?quantize=VALUE} asks for; empty when it has none (or names an existing folder
     * whose name contains {@code ?}).
     *
     * @throws OnyxException when the spec has another {@code ?} option or an unknown value
     */
    static Optional<ModelPrecision> quantizeSuffix(String spec) {
        String trimmed = spec.trim();
        int q = trimmed.lastIndexOf('?');
        if (q < 0 || existingFolder(trimmed)) {
            return Optional.empty();
        }
        String option = trimmed.substring(q);
        if (!option.startsWith(QUANTIZE_SUFFIX)) {
            throw new OnyxException("model '" + spec + "' has an unknown option '" + option + "'; allowed: "
                    + QUANTIZE_SUFFIX + ModelPrecision.INT8.label());
        }
        return Optional.of(ModelPrecision.parseQuantization(option.substring(QUANTIZE_SUFFIX.length())));
    }

    private static boolean existingFolder(String spec) {
        try {
            return Files.isDirectory(Path.of(spec));
        } catch (java.nio.file.InvalidPathException e) {
            return false; // e.g. '?' on Windows
        }
    }

    /** The spec without its {@code ?quantize=VALUE}. */
    private static String withoutQuantizeSuffix(String spec) {
        String trimmed = spec.trim();
        return trimmed.substring(0, trimmed.lastIndexOf('?'));
    }
}
