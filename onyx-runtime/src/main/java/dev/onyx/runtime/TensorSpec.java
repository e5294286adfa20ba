package dev.onyx.runtime;

import java.util.List;
import java.util.Objects;

/**
 * Name, element type and shape of a model input or output; an immutable record.
 *
 * @param name the graph's name for it
 * @param type element type
 * @param shape dimensions, fixed or symbolic
 */
public record TensorSpec(String name, ElementType type, List<Dimension> shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(shape);
    }

    /** The size of the last dimension, or -1 when it is dynamic or the shape is a scalar. */
    public long lastDimension() {
        return shape.isEmpty() ? -1 : shape.get(shape.size() - 1).size();
    }

    @Override
    public String toString() {
        return name + ":" + type.name().toLowerCase(java.util.Locale.ROOT) + shape;
    }
}
