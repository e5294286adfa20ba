package dev.onyx.bench.internal;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelInfo;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Pooling;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The inputs the floor and the contenders need about a catalog model, found through Onyx's public API only (outside
 * any timed path): its name, the ONNX file as exported, Onyx's fused copy, the tokenizer's classpath resource, its
 * length and pooling. An immutable record, serialized into child benchmark processes.
 *
 * @param model canonical catalog name
 * @param exportedFile the ONNX file as exported (what an embedder opened without graph fusion runs)
 * @param fusedFile the file Onyx runs with default options (its fused copy when the rewrite applies)
 * @param onyxGraph what Onyx runs, as {@link ModelInfo#graph()} says
 * @param tokenizerResource classpath resource of the model's {@code tokenizer.json} in its carrier jar
 * @param maxTokens truncation length with special tokens
 * @param clsPooling whether the model pools its first token (else mean pooling)
 */
public record ModelFiles(
        String model,
        String exportedFile,
        String fusedFile,
        String onyxGraph,
        String tokenizerResource,
        int maxTokens,
        boolean clsPooling) {

    /**
     * Resolves a catalog model.
     *
     * @throws OnyxException when the name is not a catalog model carried on the classpath, or its pooling is neither
     *     mean nor first-token
     */
    public static ModelFiles of(String name) throws IOException {
        if (!(ModelSource.parse(name) instanceof ModelSource.Bundled bundled)) {
            throw new OnyxException(
                    "the bench runs catalog models carried on its classpath; '" + name + "' is not one");
        }
        ModelSource source = bundled;
        ModelInfo fused;
        try (Embedder onyx = Embedder.open(source)) {
            fused = onyx.info();
        }
        String exported;
        try (Embedder plain = Embedder.open(source, EmbedOptions.defaults().withGraphFusion(false))) {
            exported = plain.info().runtimeFile();
        }
        if (fused.pooling() != Pooling.MEAN && fused.pooling() != Pooling.CLS) {
            throw new OnyxException("the floor pools MEAN or CLS; " + name + " pools " + fused.pooling());
        }
        // the carrier jars name the tokenizer after the model (e.g. all-minilm-l6-v2-tokenizer.json)
        String tokenizer = bundled.name() + "-tokenizer.json";
        if (ModelFiles.class.getClassLoader().getResource(tokenizer) == null) {
            throw new OnyxException("the floor needs " + tokenizer + " on the classpath (the model's carrier jar)");
        }
        return new ModelFiles(
                bundled.name(),
                exported,
                fused.runtimeFile(),
                fused.graph(),
                tokenizer,
                fused.maxTokens(),
                fused.pooling() == Pooling.CLS);
    }

    /** Opens the floor program on the exported file ({@code fused} false) or on Onyx's fused copy. */
    public Floor openFloor(boolean fused, int batchSize, int threads) {
        return Floor.open(new Floor.Setup(
                Path.of(fused ? fusedFile : exportedFile),
                this::tokenizerJson,
                maxTokens,
                clsPooling,
                threads,
                batchSize));
    }

    private InputStream tokenizerJson() throws IOException {
        InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream(tokenizerResource);
        if (in == null) {
            throw new IOException("tokenizer resource " + tokenizerResource + " is missing");
        }
        return in;
    }
}
