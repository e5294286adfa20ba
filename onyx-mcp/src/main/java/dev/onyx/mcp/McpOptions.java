package dev.onyx.mcp;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.runtime.OnyxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an {@link OnyxMcpServer} serves; an immutable record.
 *
 * @param models the embedding models, the first one the default; names must be unique
 * @param embedOptions options every model is opened with
 * @param allowedDirs directories {@code onnx_run} may load models from; empty leaves the tool out
 */
public record McpOptions(List<NamedModel> models, EmbedOptions embedOptions, List<Path> allowedDirs) {
    public McpOptions {
        models = List.copyOf(models);
        Objects.requireNonNull(embedOptions, "embedOptions");
        allowedDirs = List.copyOf(allowedDirs);
        if (models.isEmpty()) {
            throw new OnyxException("at least one model is needed");
        }
        Set<String> names = new HashSet<>();
        for (NamedModel model : models) {
            if (!names.add(model.name())) {
                throw new OnyxException("model name '" + model.name() + "' is given twice; names must be unique");
            }
        }
    }

    /** The bundled default model, default options, no {@code onnx_run}. */
    public static McpOptions defaults() {
        return new McpOptions(List.of(NamedModel.defaultModel()), EmbedOptions.defaults(), List.of());
    }

    public McpOptions withModels(List<NamedModel> models) {
        return new McpOptions(models, embedOptions, allowedDirs);
    }

    public McpOptions withEmbedOptions(EmbedOptions embedOptions) {
        return new McpOptions(models, embedOptions, allowedDirs);
    }

    public McpOptions withAllowedDirs(List<Path> allowedDirs) {
        return new McpOptions(models, embedOptions, allowedDirs);
    }
}
