package dev.onyx.embed;

import dev.onyx.embed.internal.PoolingKernels;
import dev.onyx.runtime.OnyxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Prompt choice, prompt prepending and Matryoshka truncation for {@link Embedder}; stateless, so thread-safe. */
final class PromptedTexts {
    private PromptedTexts() {}

    /** The prompt text a request means for a model: literal, named, the model's default, or none (""). */
    static String prompt(
            EmbedRequest request, Map<String, String> prompts, Optional<String> defaultName, String model) {
        if (request.prompt().isPresent()) {
            return request.prompt().get();
        }
        Optional<String> name = request.promptName().or(() -> defaultName);
        if (name.isEmpty()) {
            return "";
        }
        String text = prompts.get(name.get());
        if (text == null) {
            throw new OnyxException("model " + model + " has no prompt named '" + name.get() + "'; its prompts: "
                    + (prompts.isEmpty() ? "none" : new TreeSet<>(prompts.keySet()).toString()));
        }
        return text;
    }

    /** The texts with the prompt in front; null texts are reported by index. */
    static List<String> prepend(String prompt, List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new NullPointerException("texts[" + i + "] is null");
            }
            out.add(prompt.isEmpty() ? texts.get(i) : prompt + texts.get(i));
        }
        return out;
    }

    /** Keeps the first {@code dims} values of each vector, re-normalizing when the model normalizes. */
    static Embeddings truncate(Embeddings full, int dims, boolean normalize) {
        float[][] vectors = new float[full.size()][];
        int[] tokens = new int[full.size()];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = java.util.Arrays.copyOf(full.vector(i), dims);
            if (normalize) {
                PoolingKernels.normalize(vectors[i]);
            }
            tokens[i] = full.tokenCount(i);
        }
        return new Embeddings(vectors, tokens);
    }
}
