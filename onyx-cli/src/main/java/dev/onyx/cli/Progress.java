package dev.onyx.cli;

import java.io.PrintWriter;

/** A one-line progress bar on standard error, drawn only when standard error is a terminal; used by one thread. */
final class Progress {
    static final int MIN_TEXTS = 300;
    private final PrintWriter err;
    private final int total;
    private final boolean enabled;
    private final long start = System.nanoTime();

    Progress(PrintWriter err, int total) {
        // The launcher sets ONYX_STDERR_TTY=1 when `test -t 2` holds; the JVM itself cannot tell on Java 17.
        this(err, total, "1".equals(System.getenv("ONYX_STDERR_TTY")));
    }

    Progress(PrintWriter err, int total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.enabled = total >= MIN_TEXTS && terminal;
    }

    void update(int done) {
        if (!enabled) return;
        int width = 30;
        int filled = (int) ((long) width * done / total);
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(
                "\r[%s%s] %d/%d texts, %.0f texts/s",
                "#".repeat(filled), " ".repeat(width - filled), done, total, done / Math.max(seconds, 1e-9));
        if (done == total) err.println();
        err.flush();
    }
}
