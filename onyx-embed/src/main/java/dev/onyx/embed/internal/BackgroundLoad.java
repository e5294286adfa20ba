package dev.onyx.embed.internal;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Loads one resource on its own daemon thread while the caller does other work (Onyx loads the tokenizer while ONNX
 * Runtime builds its session: on a cold start they overlap). Thread-safe; whoever starts a load either {@link #join}s it
 * and owns the result, or {@link #discard}s it, which closes the result.
 */
public final class BackgroundLoad<T extends AutoCloseable> {
    /** What to load. */
    @FunctionalInterface
    public interface Loader<T> {
        T load() throws IOException;
    }

    private final FutureTask<T> task;

    private BackgroundLoad(Loader<T> loader) {
        this.task = new FutureTask<>(loader::load);
    }

    public static <T extends AutoCloseable> BackgroundLoad<T> start(String threadName, Loader<T> loader) {
        BackgroundLoad<T> load = new BackgroundLoad<>(loader);
        Thread thread = new Thread(load.task, threadName);
        thread.setDaemon(true);
        thread.start();
        return load;
    }

    /** Waits for the result; rethrows the loader's own exception. */
    public T join() throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new IOException("interrupted while loading in the background", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException runtime) throw runtime;
            if (cause instanceof Error error) throw error;
            throw new IllegalStateException("background load failed", cause);
        }
    }

    /** Waits for the load and closes what it produced; its failure, if any, is dropped (the caller is failing). */
    public void discard() {
        try {
            join().close();
        } catch (Exception ignored) {
            // the caller is already propagating its own, more relevant failure
        }
    }
}
