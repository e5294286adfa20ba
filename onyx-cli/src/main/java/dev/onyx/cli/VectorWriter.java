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
 * one thread. A file is written to a hidden sibling {@code .NAME.onyx-partial-PID} and moved into place on {@link
 * #close()} only when complete, so nothing half-written ever carries the target's name: a failed run deletes the
 * partial file, a JVM shut down by SIGTERM or ctrl-c deletes it in a shutdown hook, and the partial files of a process
 * that was killed outright are deleted by the next run that writes into the same folder.
 */
abstract class VectorWriter implements AutoCloseable {
    static final String PARTIAL = ".onyx-partial-";

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
        return open(output, stdout, count, dim, "<f4");
    }

    /** Opens a writer whose .npy rows have {@code width} values of NumPy type {@code descr} ({@code <f4}, {@code |i1}, {@code |u1}). */
    static VectorWriter open(String output, OutputStream stdout, int count, int width, String descr)
            throws IOException {
        if (output == null || output.equals("-")) {
            return new Jsonl(new BufferedOutputStream(stdout, 1 << 16), null, null);
        }
        Path target = checkTarget(output);
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure("cannot create the folder of --output " + target, e);
        }
        removeStalePartials(dir);
        String base =
                "." + target.getFileName() + PARTIAL + ProcessHandle.current().pid();
        Path temp = null;
        OutputStream file = null;
        for (int attempt = 1; file == null; attempt++) {
            temp = target.resolveSibling(attempt == 1 ? base : base + "-" + attempt);
            try {
                file = new BufferedOutputStream(PartialFiles.PROCESS.create(temp), 1 << 16);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) throw failure("cannot write --output " + target, e);
            } catch (IOException e) {
                throw failure("cannot write --output " + target, e);
            }
        }
        VectorWriter writer = output.endsWith(".npy") ? new Npy(file, target, temp) : new Jsonl(file, target, temp);
        try {
            writer.start(count, width, descr);
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    /**
     * The absolute target of {@code --output}, checked before any work: it must not be a folder, nor lie under a
     * regular file.
     *
     * @throws IOException naming the target and what is wrong
     */
    static Path checkTarget(String output) throws IOException {
        Path target = Path.of(output).toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new IOException("--output " + target
                    + " is a folder; give a file path such as " + target.resolve("vectors.npy")
                    + " (.npy, or JSON lines otherwise)");
        }
        for (Path up = target.getParent(); up != null; up = up.getParent()) {
            if (Files.exists(up) && !Files.isDirectory(up)) {
                throw new IOException("cannot write --output " + target + ": " + up + " is a file, not a folder");
            }
        }
        return target;
    }

    /** Deletes partial files in {@code dir} whose process is no longer running (a run that was killed). */
    static void removeStalePartials(Path dir) {
        try (var files = Files.list(dir)) {
            files.filter(f -> {
                        Long pid = partialPid(f.getFileName().toString());
                        return pid != null
                                && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
                    })
                    .forEach(PartialFiles::deleteQuietly);
        } catch (IOException | RuntimeException e) {
            // best effort: a folder we cannot list is reported when we try to write into it
        }
    }

    /** The process id in a partial file's name, or null when the name is not one of ours. */
    static Long partialPid(String name) {
        int at = name.lastIndexOf(PARTIAL);
        if (!name.startsWith(".") || at < 0) return null;
        String rest = name.substring(at + PARTIAL.length());
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) end++;
        if (end == 0 || end > 18 || (end < rest.length() && rest.charAt(end) != '-')) return null;
        return Long.parseLong(rest.substring(0, end));
    }

    /** An I/O failure naming what was being done and the operating system's reason. */
    static IOException failure(String what, IOException e) {
        return new IOException(what + ": " + reason(e), e);
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs) {
            if (fs.getReason() != null) return fs.getReason();
            if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
            if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
            if (e instanceof java.nio.file.NotDirectoryException) return "Not a directory";
            if (e instanceof java.nio.file.FileAlreadyExistsException) return "File exists";
            if (e instanceof java.nio.file.DirectoryNotEmptyException) return "Directory not empty";
            return e.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    void start(int count, int dim, String descr) throws IOException {}

    abstract void write(int index, float[] vector) throws IOException;

    /** Writes a quantized vector: raw bytes to .npy, numbers (signed or unsigned bytes) to JSON lines. */
    abstract void write(int index, byte[] bytes, boolean signed) throws IOException;

    protected OutputStream out() {
        return out;
    }

    /** Marks the output complete; only a complete file replaces the target. */
    void finish() {
        complete = true;
    }

    /**
     * Moves a complete file into place, or deletes the partial one; the partial file is gone afterwards either way.
     *
     * @throws IOException naming the target and the operating system's reason when the file cannot be finished
     */
    @Override
    public void close() throws IOException {
        if (target == null) {
            out.flush();
            return;
        }
        try {
            out.close();
            if (complete) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw failure("cannot write --output " + target, e);
        } finally {
            PartialFiles.PROCESS.delete(temp);
        }
    }

    /** NumPy format 1.0: magic, header dict padded to 64 bytes, then little-endian float32 rows. */
    static final class Npy extends VectorWriter {
        private ByteBuffer row;

        Npy(OutputStream out, Path target, Path temp) {
            super(out, target, temp);
        }

        @Override
        void start(int count, int dim, String descr) throws IOException {
            String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + count + ", " + dim + "), }";
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

        @Override
        void write(int index, byte[] bytes, boolean signed) throws IOException {
            out().write(bytes);
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

        @Override
        void write(int index, byte[] bytes, boolean signed) throws IOException {
            line.setLength(0);
            line.append("{\"index\":").append(index).append(",\"embedding\":[");
            for (int d = 0; d < bytes.length; d++) {
                if (d > 0) line.append(',');
                line.append(signed ? bytes[d] : bytes[d] & 0xFF);
            }
            line.append("]}\n");
            out().write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
