package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a model while 8 threads run it: before the close guard, ONNX Runtime freed the session under running calls
 * (a JVM crash, or ONNX Runtime's own IllegalStateException leaking out); now every thread ends with Onyx's "closed".
 */
class OnnxModelCloseRaceTest {
    private static final int THREADS = 8;
    private static final int ROWS = 40_000;

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void closeWhileEightThreadsRunEndsEveryThreadWithAClosedError() throws Exception {
        Path file = dir.resolve("tiny.onnx");
        Files.write(file, OnnxModelTest.tinyModel());
        OnnxModel model = OnnxModel.load(file, RuntimeOptions.defaults().withIntraOpThreads(1));
        float[] x = new float[ROWS * 3];
        for (int i = 0; i < x.length; i++) x[i] = (i % 7) - 3;
        float[] expected = OnnxModelTest.expectedY(x);
        Map<String, Tensor> feeds =
                Map.of("x", Tensor.ofFloats(x, ROWS, 3), "ids", Tensor.ofLongs(new long[] {1}, 1, 1));
        List<AtomicReference<Throwable>> endings = new ArrayList<>();
        AtomicLong runs = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        CountDownLatch running = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            AtomicReference<Throwable> ending = new AtomicReference<>();
            endings.add(ending);
            Thread thread = new Thread(() -> {
                running.countDown();
                try {
                    while (true) {
                        float[] y = model.run(feeds).get("y").floats();
                        if (y[y.length - 1] != expected[expected.length - 1] || y[5] != expected[5])
                            wrong.incrementAndGet();
                        runs.incrementAndGet();
                    }
                } catch (Throwable e) {
                    ending.set(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        running.await();
        while (runs.get() < 2 * THREADS) Thread.sleep(5);
        model.close();
        for (Thread thread : threads) thread.join(15_000);

        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(wrong).hasValue(0);
        for (AtomicReference<Throwable> ending : endings) {
            assertThat(ending.get())
                    .isExactlyInstanceOf(OnyxException.class)
                    .hasMessage("model " + file + " is closed");
        }
        assertThatThrownBy(() -> model.run(feeds)).hasMessage("model " + file + " is closed");
        model.close(); // idempotent
    }

    @Test
    void closeFromInsideARunningThreadsCallbackDoesNotDeadlock() throws Exception {
        OnnxModel model = OnnxModel.load(OnnxModelTest.tinyModel(), RuntimeOptions.defaults());
        // the closest a caller gets to "inside a run": close from the thread that just ran, while another runs on
        Map<String, Tensor> feeds =
                Map.of("x", Tensor.ofFloats(new float[3], 1, 3), "ids", Tensor.ofLongs(new long[] {1}, 1, 1));
        model.run(feeds);
        model.close(java.time.Duration.ofSeconds(10));
        assertThatThrownBy(() -> model.run(feeds))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("is closed");
    }
}
