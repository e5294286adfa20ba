package dev.onyx.runtime;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor held in JVM-owned memory (heap or direct buffer), with an element type and a shape; immutable once
 * built, so safe to share between threads.
 *
 * <p>Factories taking arrays copy them; factories taking buffers take ownership of the buffer without copying (the
 * caller must not change it afterwards). Accessors returning arrays return fresh copies; {@code *Buffer()} accessors
 * return read-only views without copying.
 */
public final class Tensor {
    private final ElementType type;
    private final long[] shape;
    private final Buffer data;

    private Tensor(ElementType type, long[] shape, Buffer data) {
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
        long expected = elementCount(this.shape);
        if (expected != data.remaining()) {
            throw new OnyxException("tensor shape " + Arrays.toString(shape) + " holds " + expected + " elements but "
                    + data.remaining() + " were given");
        }
    }

    public static Tensor ofFloats(float[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return new Tensor(ElementType.FLOAT, shape, FloatBuffer.wrap(data.clone()));
    }

    public static Tensor ofFloats(FloatBuffer data, long... shape) {
        return new Tensor(ElementType.FLOAT, shape, Objects.requireNonNull(data, "data"));
    }

    public static Tensor ofDoubles(double[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return new Tensor(ElementType.DOUBLE, shape, DoubleBuffer.wrap(data.clone()));
    }

    public static Tensor ofLongs(long[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return new Tensor(ElementType.INT64, shape, LongBuffer.wrap(data.clone()));
    }

    public static Tensor ofLongs(LongBuffer data, long... shape) {
        return new Tensor(ElementType.INT64, shape, Objects.requireNonNull(data, "data"));
    }

    public static Tensor ofInts(int[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return new Tensor(ElementType.INT32, shape, IntBuffer.wrap(data.clone()));
    }

    /** A tensor of bytes; {@code type} must be one of INT8, UINT8 or BOOL. */
    public static Tensor ofBytes(ElementType type, byte[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        if (type != ElementType.INT8 && type != ElementType.UINT8 && type != ElementType.BOOL) {
            throw new OnyxException("byte tensors must be INT8, UINT8 or BOOL, was " + type);
        }
        return new Tensor(type, shape, ByteBuffer.wrap(data.clone()).order(ByteOrder.nativeOrder()));
    }

    /** Number of elements a shape holds; 1 for a scalar. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new OnyxException("tensor dimensions must be >= 0, shape was " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public ElementType type() {
        return type;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return data.remaining();
    }

    public float[] floats() {
        float[] out = new float[size()];
        floatBuffer().get(out);
        return out;
    }

    public double[] doubles() {
        double[] out = new double[size()];
        as(DoubleBuffer.class, ElementType.DOUBLE).duplicate().get(out);
        return out;
    }

    public long[] longs() {
        long[] out = new long[size()];
        as(LongBuffer.class, ElementType.INT64).duplicate().get(out);
        return out;
    }

    public int[] ints() {
        int[] out = new int[size()];
        as(IntBuffer.class, ElementType.INT32).duplicate().get(out);
        return out;
    }

    public byte[] bytes() {
        if (!(data instanceof ByteBuffer bytes)) {
            throw new OnyxException("tensor holds " + type + ", not bytes");
        }
        byte[] out = new byte[size()];
        bytes.duplicate().get(out);
        return out;
    }

    /** A read-only view of the data of a FLOAT tensor, without copying. */
    public FloatBuffer floatBuffer() {
        return as(FloatBuffer.class, ElementType.FLOAT).asReadOnlyBuffer();
    }

    /** The data as numbers widened to double, whatever the numeric element type; for printing and comparing. */
    public double[] toDoubleArray() {
        double[] out = new double[size()];
        switch (type) {
            case FLOAT -> {
                FloatBuffer b = floatBuffer();
                for (int i = 0; i < out.length; i++) out[i] = b.get(i);
            }
            case DOUBLE -> out = doubles();
            case INT64 -> {
                long[] v = longs();
                for (int i = 0; i < out.length; i++) out[i] = v[i];
            }
            case INT32 -> {
                int[] v = ints();
                for (int i = 0; i < out.length; i++) out[i] = v[i];
            }
            case INT8, BOOL -> {
                byte[] v = bytes();
                for (int i = 0; i < out.length; i++) out[i] = v[i];
            }
            case UINT8 -> {
                byte[] v = bytes();
                for (int i = 0; i < out.length; i++) out[i] = v[i] & 0xff;
            }
            default -> throw new OnyxException("cannot read " + type + " tensors as numbers");
        }
        return out;
    }

    /**
     * A view of the underlying data with its own position, for the runtime's own use when handing data to ONNX Runtime
     * (which reads a heap buffer by advancing its position: a shared one raced between threads running the same
     * feeds, BufferOverflowException in {@code OnnxModelCloseRaceTest}).
     */
    Buffer buffer() {
        return data instanceof ByteBuffer bytes ? bytes.duplicate().order(bytes.order()) : data.duplicate();
    }

    private <B extends Buffer> B as(Class<B> kind, ElementType expected) {
        if (type != expected || !kind.isInstance(data)) {
            throw new OnyxException("tensor holds " + type + ", not " + expected);
        }
        return kind.cast(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + type + " " + Arrays.toString(shape) + "]";
    }
}
