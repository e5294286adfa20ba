package dev.onyx.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Converts between nested arrays as a JSON parser gives them ({@link List}s of {@link List}s ... of {@link Number}s or
 * {@link Boolean}s) and {@link Tensor}s, for generic inference from the command line and from tools; stateless, so
 * thread-safe.
 *
 * <p>Shapes are inferred from the nesting (a bare number is a scalar) unless one is given, in which case the leaves are
 * taken in row-major order whatever their nesting. Ragged nesting, values that do not fit the element type and shapes
 * that contradict a model's fixed dimensions are rejected with an {@link OnyxException} naming the input.
 */
public final class NestedArrays {
    private static final String SUPPORTED = "float, double, int64, int32, int8, uint8, bool";

    private NestedArrays() {}

    /**
     * Builds the feeds of one run: each value in {@code nested} becomes a tensor of its input's element type.
     *
     * @param inputs the model's inputs ({@link OnnxModel#inputs()})
     * @param nested input name → nested array (or a bare number for a scalar)
     * @param shapes input name → explicit shape, for inputs whose shape is not to be inferred from the nesting
     * @throws OnyxException when a name is unknown, an input is missing, or a value cannot be converted
     */
    public static Map<String, Tensor> feeds(
            List<TensorSpec> inputs, Map<String, ?> nested, Map<String, long[]> shapes) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(nested, "nested");
        Objects.requireNonNull(shapes, "shapes");
        Map<String, TensorSpec> byName = new LinkedHashMap<>();
        inputs.forEach(spec -> byName.put(spec.name(), spec));
        for (String name : shapes.keySet()) {
            if (!nested.containsKey(name)) {
                throw new OnyxException("a shape is given for '" + name + "' but no value; the model's inputs are "
                        + inputs + ", values were given for " + nested.keySet());
            }
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : nested.entrySet()) {
            TensorSpec spec = byName.get(entry.getKey());
            if (spec == null) {
                throw new OnyxException("unknown input '" + entry.getKey() + "'; the model's inputs are " + inputs);
            }
            long[] shape = shapes.get(entry.getKey());
            feeds.put(
                    spec.name(),
                    shape == null ? toTensor(spec, entry.getValue()) : toTensor(spec, entry.getValue(), shape));
        }
        List<String> missing = inputs.stream()
                .filter(spec -> !feeds.containsKey(spec.name()))
                .map(TensorSpec::toString)
                .toList();
        if (!missing.isEmpty()) {
            throw new OnyxException("missing inputs " + missing + "; the model's inputs are " + inputs);
        }
        return feeds;
    }

    /** Converts a nested array to a tensor for {@code spec}, inferring the shape from the nesting. */
    public static Tensor toTensor(TensorSpec spec, Object nested) {
        Objects.requireNonNull(spec, "spec");
        long[] shape = firstPath(nested);
        checkShape(spec.name(), nested, shape, 0);
        List<Object> leaves = new ArrayList<>();
        flatten(nested, leaves);
        return build(spec, leaves, shape);
    }

    /** Converts a nested array to a tensor for {@code spec} with the given shape, reading its leaves row-major. */
    public static Tensor toTensor(TensorSpec spec, Object nested, long[] shape) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(shape, "shape");
        List<Object> leaves = new ArrayList<>();
        flatten(nested, leaves);
        for (long d : shape) {
            if (d < 0) {
                throw new OnyxException("input '" + spec.name() + "': shape " + Arrays.toString(shape)
                        + " has a negative dimension; dimensions must be >= 0");
            }
        }
        long needed = Tensor.elementCount(shape);
        if (needed != leaves.size()) {
            throw new OnyxException("input '" + spec.name() + "' has " + leaves.size() + " values but shape "
                    + Arrays.toString(shape) + " needs " + needed);
        }
        return build(spec, leaves, shape);
    }

    /**
     * Parses a shape written as comma-separated sizes ({@code "2,3"}); the empty string is a scalar.
     *
     * @throws OnyxException when a size is not a non-negative integer
     */
    public static long[] parseShape(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return new long[0];
        }
        String[] parts = text.split(",", -1);
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                shape[i] = -1;
            }
            if (shape[i] < 0) {
                throw new OnyxException("shape '" + text + "' has '" + parts[i].trim()
                        + "'; a shape is comma-separated sizes >= 0, e.g. 2,3");
            }
        }
        return shape;
    }

    /**
     * Describes run outputs as a tree of maps and lists ready for any JSON writer: {@code {"outputs": {name: {"shape":
     * [...], "type": "float", "data": [...]}}}}, data flattened row-major, in the order given.
     */
    public static Map<String, Object> describeOutputs(Map<String, Tensor> outputs) {
        Objects.requireNonNull(outputs, "outputs");
        Map<String, Object> byName = new LinkedHashMap<>();
        outputs.forEach((name, tensor) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("shape", Arrays.stream(tensor.shape()).boxed().toList());
            one.put("type", tensor.type().name().toLowerCase(java.util.Locale.ROOT));
            one.put("data", values(tensor));
            byName.put(name, one);
        });
        return Map.of("outputs", byName);
    }

    /** The tensor's values, row-major, boxed as the closest Java type (Float, Double, Long, Integer, Byte, Boolean). */
    public static List<Object> values(Tensor tensor) {
        Objects.requireNonNull(tensor, "tensor");
        List<Object> out = new ArrayList<>(tensor.size());
        switch (tensor.type()) {
            case FLOAT -> {
                for (float v : tensor.floats()) out.add(v);
            }
            case DOUBLE -> {
                for (double v : tensor.doubles()) out.add(v);
            }
            case INT64 -> {
                for (long v : tensor.longs()) out.add(v);
            }
            case INT32 -> {
                for (int v : tensor.ints()) out.add(v);
            }
            case BOOL -> {
                for (byte v : tensor.bytes()) out.add(v != 0);
            }
            case INT8 -> {
                for (byte v : tensor.bytes()) out.add((int) v);
            }
            case UINT8 -> {
                for (byte v : tensor.bytes()) out.add(v & 0xff);
            }
            default ->
                throw new OnyxException(
                        "cannot read " + tensor.type() + " outputs as numbers; supported: " + SUPPORTED);
        }
        return out;
    }

    /** The shape along the first element at each depth; {@link #checkShape} then holds every row to it. */
    private static long[] firstPath(Object nested) {
        List<Long> shape = new ArrayList<>();
        Object node = nested;
        while (node instanceof List<?> list) {
            shape.add((long) list.size());
            node = list.isEmpty() ? null : list.get(0);
        }
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    private static void checkShape(String name, Object node, long[] shape, int depth) {
        if (depth == shape.length) {
            if (node instanceof List<?>) {
                throw ragged(name, depth, "a list where the other rows hold numbers");
            }
            return;
        }
        if (!(node instanceof List<?> list)) {
            throw ragged(name, depth, "a number where the other rows hold lists of " + shape[depth]);
        }
        if (list.size() != shape[depth]) {
            throw ragged(name, depth, "a list of " + list.size() + " where the first row has " + shape[depth]);
        }
        for (Object child : list) {
            checkShape(name, child, shape, depth + 1);
        }
    }

    private static OnyxException ragged(String name, int depth, String what) {
        return new OnyxException("input '" + name + "' is ragged at depth " + depth + ": found " + what
                + "; every row at a depth must have the same length");
    }

    private static void flatten(Object node, List<Object> leaves) {
        if (node instanceof List<?> list) {
            for (Object child : list) flatten(child, leaves);
        } else {
            leaves.add(node);
        }
    }

    private static Tensor build(TensorSpec spec, List<Object> leaves, long[] shape) {
        checkAgainstSpec(spec, shape);
        ElementType type = spec.type();
        int n = leaves.size();
        return switch (type) {
            case FLOAT -> {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) data[i] = (float) real(spec, leaves.get(i), i);
                yield Tensor.ofFloats(data, shape);
            }
            case DOUBLE -> {
                double[] data = new double[n];
                for (int i = 0; i < n; i++) data[i] = real(spec, leaves.get(i), i);
                yield Tensor.ofDoubles(data, shape);
            }
            case INT64 -> {
                long[] data = new long[n];
                for (int i = 0; i < n; i++) data[i] = integer(spec, leaves.get(i), i, Long.MIN_VALUE, Long.MAX_VALUE);
                yield Tensor.ofLongs(data, shape);
            }
            case INT32 -> {
                int[] data = new int[n];
                for (int i = 0; i < n; i++)
                    data[i] = (int) integer(spec, leaves.get(i), i, Integer.MIN_VALUE, Integer.MAX_VALUE);
                yield Tensor.ofInts(data, shape);
            }
            case INT8, UINT8, BOOL -> Tensor.ofBytes(type, bytes(spec, leaves), shape);
            default ->
                throw new OnyxException("input '" + spec.name() + "' has element type "
                        + type.name().toLowerCase(java.util.Locale.ROOT) + ", which generic inference does not feed; "
                        + "supported: " + SUPPORTED);
        };
    }

    private static byte[] bytes(TensorSpec spec, List<Object> leaves) {
        byte[] data = new byte[leaves.size()];
        for (int i = 0; i < data.length; i++) {
            Object leaf = leaves.get(i);
            data[i] = switch (spec.type()) {
                case BOOL -> leaf instanceof Boolean b ? (byte) (b ? 1 : 0) : (byte) integer(spec, leaf, i, 0, 1);
                case INT8 -> (byte) integer(spec, leaf, i, Byte.MIN_VALUE, Byte.MAX_VALUE);
                default -> (byte) integer(spec, leaf, i, 0, 255);
            };
        }
        return data;
    }

    private static void checkAgainstSpec(TensorSpec spec, long[] shape) {
        List<Dimension> expected = spec.shape();
        boolean fits = expected.size() == shape.length;
        for (int d = 0; fits && d < shape.length; d++) {
            fits = expected.get(d).isDynamic() || expected.get(d).size() == shape[d];
        }
        if (!fits) {
            throw new OnyxException("input '" + spec.name() + "' has shape " + Arrays.toString(shape)
                    + " but the model expects " + expected + " (symbolic dimensions take any size)");
        }
    }

    private static double real(TensorSpec spec, Object leaf, int index) {
        if (leaf instanceof Number number) {
            return number.doubleValue();
        }
        throw notANumber(spec, leaf, index);
    }

    private static long integer(TensorSpec spec, Object leaf, int index, long min, long max) {
        if (!(leaf instanceof Number number)) {
            throw notANumber(spec, leaf, index);
        }
        BigDecimal exact = number instanceof BigInteger big ? new BigDecimal(big) : new BigDecimal(number.toString());
        boolean integral = exact.stripTrailingZeros().scale() <= 0;
        if (!integral || exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new OnyxException("input '" + spec.name() + "' value " + number + " at flat index " + index
                    + " is not a " + spec.type().name().toLowerCase(java.util.Locale.ROOT) + " (integers in [" + min
                    + ", " + max + "])");
        }
        return exact.longValueExact();
    }

    private static OnyxException notANumber(TensorSpec spec, Object leaf, int index) {
        String what = leaf == null
                ? "null"
                : leaf instanceof Map<?, ?>
                        ? "an object"
                        : leaf instanceof String s ? "the string \"" + s + "\"" : leaf.toString();
        return new OnyxException("input '" + spec.name() + "' has " + what + " at flat index " + index + "; "
                + spec.type().name().toLowerCase(java.util.Locale.ROOT) + " inputs take numbers"
                + (spec.type() == ElementType.BOOL ? " or booleans" : ""));
    }
}
