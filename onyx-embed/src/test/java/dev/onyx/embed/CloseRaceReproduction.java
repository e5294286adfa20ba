package dev.onyx.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 14's close race, as a program: 8 threads call {@link Embedder#embed} in a loop (even threads one text at a time,
 * odd threads batches large enough to run side by side on the second session), and the main thread closes the
 * embedder 500 ms after they started. Prints one line per thread with the exception that ended it and exits 0 when
 * every thread ended with the embedder's "closed" error; a JVM crash (what the unguarded close did) exits 134.
 */
public final class CloseRaceReproduction {
    static final int THREADS = 8;

    private CloseRaceReproduction() {}

    public static void main(String[] args) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add("Sentence number " + i + " talks about " + "close races and native sessions ".repeat(1 + i % 5));
        }
        Embedder embedder = Embedder.open(ModelSource.defaultModel());
        AtomicLong calls = new AtomicLong();
        List<AtomicReference<Throwable>> endings = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            boolean batches = t % 2 == 1;
            AtomicReference<Throwable> ending = new AtomicReference<>();
            endings.add(ending);
            int offset = t;
            Thread thread = new Thread(
                    () -> {
                        started.countDown();
                        try {
                            for (int i = offset; ; i++) {
                                if (batches) {
                                    Embeddings e = embedder.embed(texts);
                                    if (e.size() != texts.size()) throw new AssertionError("wrong size " + e.size());
                                } else {
                                    float[] v = embedder.embed(texts.get(i % texts.size()));
                                    if (v.length != 384) throw new AssertionError("wrong dimension " + v.length);
                                }
                                calls.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            ending.set(e);
                        }
                    },
                    "embed-" + t);
            threads.add(thread);
            thread.start();
        }
        started.await();
        Thread.sleep(500);
        long before = calls.get();
        embedder.close();
        int clean = 0;
        for (int t = 0; t < THREADS; t++) {
            threads.get(t).join(60_000);
            Throwable e = endings.get(t).get();
            String line =
                    threads.get(t).isAlive() ? "still running" : e.getClass().getName() + ": " + e.getMessage();
            System.out.println("thread " + t + ": " + line);
            if (e instanceof dev.onyx.runtime.OnyxException
                    && e.getMessage().equals("embedder for all-minilm-l6-v2 is closed")) {
                clean++;
            }
        }
        System.out.println("calls before close: " + before + "; clean endings: " + clean + " of " + THREADS);
        System.exit(clean == THREADS && before > 0 ? 0 : 1);
    }
}
