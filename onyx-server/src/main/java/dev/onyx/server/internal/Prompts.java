package dev.onyx.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prompt prefixes for text inputs, as sentence-transformers' {@code encode} applies them: the request's
 * {@code prompt_name}, else the model's default prompt, else none. Stateless, so thread-safe.
 */
final class Prompts {
    private Prompts() {}

    /**
     * Prefixes every text with the chosen prompt; token-id inputs are returned as they are (they were tokenized by the
     * client, so a prompt cannot be added: asking for one is an error).
     *
     * @throws ApiException naming {@code field} for an unknown prompt name or a prompt asked for with token ids
     */
    static Inputs apply(Inputs inputs, ServedModel model, Optional<String> promptName, String field) {
        Map<String, String> prompts = model.embedder().prompts();
        Optional<String> name = promptName.or(() -> model.embedder().defaultPromptName());
        if (name.isEmpty()) {
            return inputs;
        }
        String prompt = prompts.get(name.get());
        if (prompt == null) {
            throw ApiException.badRequest(
                    field,
                    "model '" + model.name() + "' has no prompt named '" + name.get() + "'; allowed: "
                            + prompts.keySet());
        }
        if (!(inputs instanceof Inputs.Texts texts)) {
            if (promptName.isPresent()) {
                throw ApiException.badRequest(field, field + " applies to text inputs, not token ids");
            }
            return inputs;
        }
        List<String> prompted = new ArrayList<>(texts.size());
        for (String text : texts.texts()) prompted.add(prompt + text);
        return new Inputs.Texts(prompted);
    }
}
