package dev.onyx.server.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The served models by every name they answer to; the first is the default. Immutable, so thread-safe. */
public final class Models implements AutoCloseable {
    private final List<ServedModel> models;
    private final Map<String, ServedModel> byName = new LinkedHashMap<>();

    public Models(List<ServedModel> models) {
        this.models = List.copyOf(models);
        for (ServedModel model : models) {
            for (String name : model.names()) byName.put(name, model);
        }
    }

    public List<ServedModel> all() {
        return models;
    }

    public ServedModel defaultModel() {
        return models.get(0);
    }

    /** The model a request names, or the default when it names none; 404 for an unknown name. */
    public ServedModel find(Optional<String> name, String field) {
        if (name.isEmpty()) {
            return defaultModel();
        }
        ServedModel model = byName.get(name.get());
        if (model == null) {
            throw new ApiException(
                    ErrorKind.NOT_FOUND,
                    field,
                    "model '" + name.get() + "' is not served here; served: " + String.join(", ", byName.keySet()));
        }
        return model;
    }

    /** Checks a requested output dimension against the model's. */
    public static OptionalInt dimensions(OptionalInt requested, ServedModel model, String field) {
        int dimension = model.info().dimension();
        if (requested.isPresent() && requested.getAsInt() > dimension) {
            throw ApiException.badRequest(
                    field,
                    field + " is " + requested.getAsInt() + " but model " + model.name() + " has " + dimension
                            + "; allowed are 1 to " + dimension);
        }
        return requested;
    }

    /** Answers every model's requests not yet running with 503; returns how many. */
    public int abandonQueued() {
        int count = 0;
        for (ServedModel model : models) count += model.abandonQueued();
        return count;
    }

    @Override
    public void close() {
        for (ServedModel model : models) model.close();
    }
}
