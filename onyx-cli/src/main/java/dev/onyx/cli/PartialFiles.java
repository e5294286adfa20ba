package dev.onyx.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The partial output files a process has open, deleted by one shutdown hook on SIGTERM or ctrl-c. A file is created
 * and registered under the lock the hook takes, and none is created once the hook has run, so a signal arriving at any
 * moment (even while a file is being created) leaves no partial file behind.
 */
final class PartialFiles {
    /** This process's partial files; its shutdown hook is added with the first file. */
    static final PartialFiles PROCESS = new PartialFiles(true);

    private final Set<Path> live = new LinkedHashSet<>();
    private boolean hooked;
    private boolean shutDown;

    PartialFiles(boolean hookIntoJvm) {
        this.hooked = !hookIntoJvm;
    }

    /**
     * Creates {@code file} (which must not exist), opens it for writing and registers it for deletion at shutdown.
     * It is opened here, under the lock, because opening it later by name would create it again after the hook had
     * deleted it; once deleted, the stream writes to a file without a name, which vanishes with the process.
     *
     * @throws java.nio.file.FileAlreadyExistsException when it exists
     * @throws IOException when it cannot be created, or the process is shutting down
     */
    synchronized OutputStream create(Path file) throws IOException {
        if (!hooked) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::shutDown, "onyx-delete-partial-output"));
            } catch (IllegalStateException e) {
                shutDown = true;
            }
            hooked = true;
        }
        if (shutDown) throw new IOException("the process is shutting down");
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        live.add(file);
        return out;
    }

    /** Deletes {@code file} if it is still there (it was not moved into place) and forgets it. */
    synchronized void delete(Path file) {
        deleteQuietly(file);
        live.remove(file);
    }

    /** What the shutdown hook does: deletes every registered file; no file can be created afterwards. */
    synchronized void shutDown() {
        shutDown = true;
        live.forEach(PartialFiles::deleteQuietly);
        live.clear();
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: a later run removes it once this process is gone
        }
    }
}
