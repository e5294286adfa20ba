package dev.onyx.onnx;

import java.util.Arrays;
import java.util.Objects;

/** A typed node attribute; every implementation is an immutable value and thread-safe. */
public sealed interface Attribute {

    /** The attribute's name, e.g. {@code "axis"}. */
    String name();

    /** The attribute's kind. */
    AttributeType type();

    static Attribute of(String name, float value) {
        return new OfFloat(name, value);
    }

    static Attribute of(String name, long value) {
        return new OfInt(name, value);
    }

    static Attribute of(String name, String value) {
        return new OfString(name, value);
    }

    static Attribute ofFloats(String name, float... values) {
        return new OfFloats(name, values);
    }

    static Attribute ofInts(String name, long... values) {
        return new OfInts(name, values);
    }

    /** A single float attribute. */
    record OfFloat(String name, float value) implements Attribute {
        public OfFloat {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public AttributeType type() {
            return AttributeType.FLOAT;
        }
    }

    /** A single integer attribute. */
    record OfInt(String name, long value) implements Attribute {
        public OfInt {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public AttributeType type() {
            return AttributeType.INT;
        }
    }

    /** A string attribute (written as UTF-8 bytes). */
    record OfString(String name, String value) implements Attribute {
        public OfString {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public AttributeType type() {
            return AttributeType.STRING;
        }
    }

    /** A list-of-floats attribute; the array is copied in and out. */
    record OfFloats(String name, float[] values) implements Attribute {
        public OfFloats {
            Objects.requireNonNull(name, "name");
            values = Objects.requireNonNull(values, "values").clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }

        @Override
        public AttributeType type() {
            return AttributeType.FLOATS;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OfFloats other && name.equals(other.name) && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return name + "=" + Arrays.toString(values);
        }
    }

    /** A list-of-integers attribute; the array is copied in and out. */
    record OfInts(String name, long[] values) implements Attribute {
        public OfInts {
            Objects.requireNonNull(name, "name");
            values = Objects.requireNonNull(values, "values").clone();
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        @Override
        public AttributeType type() {
            return AttributeType.INTS;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OfInts other && name.equals(other.name) && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return name + "=" + Arrays.toString(values);
        }
    }
}
