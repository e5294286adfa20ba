package dev.onyx.cli;

import dev.onyx.embed.DownloadListener;
import java.io.PrintWriter;

/**
 * Download progress on standard error: a redrawn bar when it is a terminal, else one line per finished file; safe
 * from one downloading thread at a time (synchronized).
 */
final class DownloadProgress implements DownloadListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private long lastDrawNanos;

    DownloadProgress(PrintWriter err) {
        this.err = err;
        // The launcher sets ONYX_STDERR_TTY=1 when `test -t 2` holds; the JVM itself cannot tell on Java 17.
        this.terminal = "1".equals(System.getenv("ONYX_STDERR_TTY"));
    }

    @Override
    public synchronized void progress(String file, long bytesDone, long bytesTotal) {
        boolean finished = bytesTotal >= 0 && bytesDone >= bytesTotal;
        if (!finished && (!terminal || System.nanoTime() - lastDrawNanos < 100_000_000L)) {
            return;
        }
        lastDrawNanos = System.nanoTime();
        String size = megabytes(bytesDone) + (bytesTotal >= 0 ? " / " + megabytes(bytesTotal) : "");
        if (terminal) {
            int filled = bytesTotal > 0 ? (int) (WIDTH * bytesDone / bytesTotal) : 0;
            err.printf("\r[%s%s] %s %s", "#".repeat(filled), " ".repeat(WIDTH - filled), size, file);
            if (finished) err.println();
        } else {
            err.println(file + " " + size);
        }
        err.flush();
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
