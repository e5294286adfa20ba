package dev.onyx.embed.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.runtime.InvalidModelException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the prompts of a sentence-transformers folder from {@code config_sentence_transformers.json}
 * ({@code "prompts": {"query": "query: ", ...}, "default_prompt_name": "query"}); stateless, so thread-safe.
 */
final class FolderPrompts {
    static final String FILE = "config_sentence_transformers.json";

    private FolderPrompts() {}

    static Map<String, String> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Optional<JsonNode> config = FolderModels.readJson(file);
        Map<String, String> prompts = new LinkedHashMap<>();
        if (config.isEmpty()
                || config.get().path("prompts").isMissingNode()
                || config.get().path("prompts").isNull()) {
            return prompts;
        }
        JsonNode node = config.get().path("prompts");
        if (!node.isObject()) {
            throw new InvalidModelException(
                    file + ": \"prompts\" must be an object of name → prompt text, was " + node);
        }
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            if (!field.getValue().isTextual()) {
                throw new InvalidModelException(
                        file + ": prompt '" + field.getKey() + "' must be a string, was " + field.getValue());
            }
            prompts.put(field.getKey(), field.getValue().asText());
        }
        return prompts;
    }

    static Optional<String> defaultName(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Optional<String> name = FolderModels.readJson(file)
                .map(c -> c.path("default_prompt_name"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText);
        if (name.isPresent() && !read(dir).containsKey(name.get())) {
            throw new InvalidModelException(file + ": default_prompt_name '" + name.get()
                    + "' is not one of the prompts " + read(dir).keySet());
        }
        return name;
    }
}
