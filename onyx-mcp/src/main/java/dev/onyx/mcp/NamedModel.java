package dev.onyx.mcp;

import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.util.Objects;

/**
 * An embedding model as the MCP tools name it: the {@code model} argument picks it by {@code name}; an immutable record.
 *
 * @param name what tool calls call it
 * @param source where it is loaded from
 */
public record NamedModel(String name, ModelSource source) {
    public NamedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        if (name.isBlank()) {
            throw new OnyxException("a model name must not be blank");
        }
    }

    /** The bundled default model under its catalog name. */
    public static NamedModel defaultModel() {
        return new NamedModel(ModelSource.DEFAULT_MODEL, ModelSource.defaultModel());
    }

    /**
     * Parses {@code NAME=SOURCE} or a bare {@code SOURCE} (then named by itself), where SOURCE is what
     * {@link ModelSource#parse(String)} accepts: a catalog name or a model folder.
     *
     * @throws OnyxException when the source is neither a known model nor a folder, or the name is blank
     */
    public static NamedModel parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return new NamedModel(spec.trim(), ModelSource.parse(spec));
        }
        return new NamedModel(spec.substring(0, eq).trim(), ModelSource.parse(spec.substring(eq + 1)));
    }
}
