package dev.onyx.embed.internal;

import dev.onyx.runtime.OnnxModel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads ONNX Runtime's native libraries on a daemon thread, once per JVM, so that a first {@code Embedder.open} resolves
 * its model (jar, cache, folder) while they load instead of before: loading them is the largest single step of a cold
 * open after the session itself. Whoever needs ONNX Runtime next simply waits for the load that is under way (the
 * runtime module's loading is synchronized). Thread-safe.
 */
public final class RuntimePreload {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private RuntimePreload() {}

    /** Starts the load unless it was started before; returns at once. A failure is left for the real use to report. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) return;
        Thread thread = new Thread(
                () -> {
                    try {
                        OnnxModel.availableDevices();
                    } catch (RuntimeException | LinkageError e) {
                        // the caller's own load fails with the real message
                    }
                },
                "onyx-runtime-preload");
        thread.setDaemon(true);
        thread.start();
    }
}
