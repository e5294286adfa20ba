package dev.onyx.mcp.internal;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An input stream fed whole lines by one thread and read by another (unlike a piped stream it does not care which
 * threads are alive); {@link #end()} makes the reader see the end after the lines already added.
 */
final class LineQueueStream extends InputStream {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;
    private final CountDownLatch endRead = new CountDownLatch(1);

    /** Adds one line; a newline is appended. */
    void add(String line) {
        lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void end() {
        lines.add(END);
    }

    /** Waits (at most {@code millis}) until the reader has seen the end. */
    void awaitEndRead(long millis) throws InterruptedException {
        endRead.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized int read() throws InterruptedIOException {
        if (!fill()) return -1;
        return current[position++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    private boolean fill() throws InterruptedIOException {
        while (!ended && position == current.length) {
            try {
                byte[] next = lines.take();
                if (next == END) {
                    ended = true;
                    endRead.countDown();
                } else {
                    current = next;
                    position = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a line");
            }
        }
        return !ended;
    }
}
