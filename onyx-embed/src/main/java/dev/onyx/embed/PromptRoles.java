package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a model's prompts a query and a document get, for retrieval frameworks that embed both through one model;
 * an immutable record. Models trained with instructions name them {@code query} and {@code passage} (E5) or only
 * {@code query} (BGE); models without prompts get none.
 *
 * @param query the prompt name for queries, if any
 * @param document the prompt name for documents, if any
 */
public record PromptRoles(Optional<String> query, Optional<String> document) {
    public PromptRoles {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(document, "document");
    }

    /**
     * The roles for a model: the names given, else {@code query} for queries and {@code passage} (or {@code document})
     * for documents when the model has such prompts.
     *
     * @throws OnyxException when a given name is not one of the model's prompts (listing them)
     */
    public static PromptRoles of(Embedder embedder, Optional<String> query, Optional<String> document) {
        Objects.requireNonNull(embedder, "embedder");
        Set<String> known = embedder.prompts().keySet();
        for (Optional<String> name : java.util.List.of(query, document)) {
            if (name.isPresent() && !known.contains(name.get())) {
                throw new OnyxException("prompt '" + name.get() + "' is not one of model "
                        + embedder.info().name() + "'s prompts " + known);
            }
        }
        return new PromptRoles(
                query.or(() -> first(known, "query")), document.or(() -> first(known, "passage", "document")));
    }

    /** The request for a text in this role: its prompt, and the given dimensions when present. */
    public EmbedRequest request(boolean isQuery, Optional<Integer> dimensions) {
        EmbedRequest request = EmbedRequest.defaults();
        Optional<String> prompt = isQuery ? query : document;
        if (prompt.isPresent()) {
            request = request.withPromptName(prompt.get());
        }
        return dimensions.isPresent() ? request.withDimensions(dimensions.get()) : request;
    }

    private static Optional<String> first(Set<String> known, String... names) {
        for (String name : names) {
            if (known.contains(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
