package dev.onyx.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes vectors in input order, as they are produced, to {@code .npy} (float32 {@code [n, dim]}) or JSON lines; used by
 * one thread. Files are written to a temporary sibling and moved into place on {@link #close()}, so a failed run never
 * leaves a truncated output behind.
 */
abstract class VectorWriter implements AutoCloseable {
    private final OutputStream out;
    private final Path target;
    private final Path temp;
    private boolean complete;

    private VectorWriter(OutputStream out, Path target, Path temp) {
        this.out = out;
        this.target = target;
        this.temp = temp;
    }

    static VectorWriter open(String output, OutputStream stdout, int count, int dim) throws IOException {
        if (output == null || output.equals("-")) {
            return new Jsonl(new BufferedOutputStream(stdout, 1 << 16), null, null);
        }
        Path target = Path.of(output).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp =
                Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        VectorWriter writer = output.endsWith(".npy") ? new Npy(file, target, temp) : new Jsonl(file, target, temp);
        writer.start(count, dim);
        return writer;
    }

    void start(int count, int dim) throws IOException {}

    abstract void write(int index, float[] vector) throws IOException;

    protected OutputStream out() {
        return out;
    }

    /** Marks the output complete; only a complete file replaces the target. */
    void finish() {
        complete = true;
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (target == null) {
            return;
        }
        out.close();
        if (complete) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.deleteIfExists(temp);
        }
    }

    /** NumPy format 1.0: magic, header dict padded to 64 bytes, then little-endian float32 rows. */
    static final class Npy extends VectorWriter {
        private ByteBuffer row;

        Npy(OutputStream out, Path target, Path temp) {
            super(out, target, temp);
        }

        @Override
        void start(int count, int dim) throws IOException {
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + count + ", " + dim + "), }";
            int unpadded = 10 + dict.length() + 1;
            int padding = (64 - unpadded % 64) % 64;
            String header = dict + " ".repeat(padding) + "\n";
            ByteBuffer prefix = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            prefix.put((byte) 0x93)
                    .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                    .put((byte) 1)
                    .put((byte) 0);
            prefix.putShort((short) header.length());
            out().write(prefix.array());
            out().write(header.getBytes(StandardCharsets.US_ASCII));
            row = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        void write(int index, float[] vector) throws IOException {
            row.clear();
            row.asFloatBuffer().put(vector);
            out().write(row.array(), 0, vector.length * 4);
        }
    }

    /** One {@code {"index":i,"embedding":[...]}} per line. */
    static final class Jsonl extends VectorWriter {
        private final StringBuilder line = new StringBuilder(8192);

        Jsonl(OutputStream out, Path target, Path temp) {
            super(out, target, temp);
        }

        @Override
        void write(int index, float[] vector) throws IOException {
            line.setLength(0);
            line.append("{\"index\":").append(index).append(",\"embedding\":[");
            for (int d = 0; d < vector.length; d++) {
                if (d > 0) line.append(',');
                line.append(vector[d]);
            }
            line.append("]}\n");
            out().write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
