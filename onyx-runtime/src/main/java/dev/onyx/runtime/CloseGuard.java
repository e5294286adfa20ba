package dev.onyx.runtime;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code close()} safe while other threads still use a native resource; thread-safe. Every use takes a {@link
 * Lease} ({@link #acquire()}, in a try-with-resources); {@link #close(Duration, Runnable)} refuses new leases at once
 * (with an {@link OnyxException} naming the closed object), waits for the leases in flight to end, and only then runs
 * the release action that frees the natives — so nothing is freed under a running call.
 *
 * <ul>
 *   <li>The release action runs exactly once, on the thread that sees the last lease end after close began: the closer,
 *       or the thread whose lease ends last.
 *   <li>Close is idempotent and callable from any thread; every call waits (bounded) until the release has run. A wait
 *       that runs out throws an {@link OnyxException} saying how many calls are still running; the resource stays
 *       refused and is released when the last of them returns, never under it.
 *   <li>A thread that closes while it holds leases itself (say, from a callback inside a call) does not deadlock: it
 *       waits only for other threads' leases, and the release runs when its own last lease ends.
 * </ul>
 *
 * <p>The default wait is 30 s; system property {@code onyx.close.timeoutMillis} changes it.
 */
public final class CloseGuard {
    private static final Logger LOG = LoggerFactory.getLogger(CloseGuard.class);
    private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

    private final String name;
    private final Object lock = new Object();
    private final ThreadLocal<int[]> heldHere = ThreadLocal.withInitial(() -> new int[1]);
    private int active;
    private boolean closed;
    private boolean released;
    private boolean done;
    private Runnable release;

    /** @param name what the guarded object is, for messages: {@code "model /path/x.onnx"} */
    public CloseGuard(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The wait {@link #close(Runnable)} uses: {@code onyx.close.timeoutMillis} milliseconds, 30 s when unset. */
    public static Duration defaultTimeout() {
        String value = System.getProperty("onyx.close.timeoutMillis");
        if (value != null && !value.isBlank()) {
            try {
                long millis = Long.parseLong(value.strip());
                if (millis >= 0) return Duration.ofMillis(millis);
            } catch (NumberFormatException e) {
                // fall through to the warning
            }
            LOG.warn(
                    "onyx: system property onyx.close.timeoutMillis={} is not a whole number >= 0; using 30000", value);
        }
        return Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS);
    }

    /** A use of the guarded object; ending it twice is harmless. Not for sharing between threads. */
    public final class Lease implements AutoCloseable {
        private boolean ended;

        private Lease() {}

        @Override
        public void close() {
            if (ended) return;
            ended = true;
            heldHere.get()[0]--;
            Runnable toRun = null;
            synchronized (lock) {
                active--;
                if (closed && active == 0 && !released) {
                    released = true;
                    toRun = release;
                }
                if (closed) lock.notifyAll(); // a closer may be waiting for the count to fall
            }
            runRelease(toRun);
        }
    }

    /**
     * Starts a use.
     *
     * @throws OnyxException naming the object when it is closed or closing
     */
    public Lease acquire() {
        synchronized (lock) {
            if (closed) {
                throw new OnyxException(name + " is closed");
            }
            active++;
        }
        heldHere.get()[0]++;
        return new Lease();
    }

    /** True once close has begun. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Number of uses in flight (for tests and diagnostics). */
    public int activeLeases() {
        synchronized (lock) {
            return active;
        }
    }

    /** {@link #close(Duration, Runnable)} with {@link #defaultTimeout()}. */
    public void close(Runnable release) {
        close(defaultTimeout(), release);
    }

    /**
     * Refuses new uses, waits up to {@code timeout} for those in flight, then runs {@code release} (the first close's
     * action; later calls only wait).
     *
     * @throws OnyxException when uses are still running after {@code timeout} (the release then runs when the last of
     *     them ends), or when the waiting thread is interrupted (the interrupt flag is kept)
     */
    public void close(Duration timeout, Runnable release) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(release, "release");
        int mine = heldHere.get()[0];
        Runnable toRun = null;
        synchronized (lock) {
            if (!closed) {
                closed = true;
                this.release = release;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done) {
                if (!released && active == 0) {
                    released = true;
                    toRun = this.release;
                    break;
                }
                if (mine > 0 && active <= mine) {
                    break; // this thread holds the remaining leases: the release runs when its last one ends
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new OnyxException("closing " + name + " timed out after " + timeout.toMillis() + " ms: "
                            + (active - mine) + " call(s) still running; new calls are refused and the native"
                            + " resources are freed when the last running call returns");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OnyxException("interrupted while closing " + name + "; " + (active - mine)
                            + " call(s) still running, released when the last returns");
                }
            }
        }
        runRelease(toRun);
    }

    private void runRelease(Runnable toRun) {
        if (toRun == null) return;
        try {
            toRun.run();
        } catch (RuntimeException e) {
            LOG.warn("onyx: releasing {} failed: {}", name, e.getMessage());
        } finally {
            synchronized (lock) {
                done = true;
                lock.notifyAll();
            }
        }
    }

    @Override
    public String toString() {
        return "CloseGuard[" + name + "]";
    }
}
