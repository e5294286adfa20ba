package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseGuardTest {
    @Test
    void closeRefusesNewLeasesWithTheObjectsName() {
        CloseGuard guard = new CloseGuard("model m.onnx");
        AtomicInteger released = new AtomicInteger();
        guard.close(released::incrementAndGet);
        assertThat(released).hasValue(1);
        assertThatThrownBy(guard::acquire).isInstanceOf(OnyxException.class).hasMessage("model m.onnx is closed");
    }

    @Test
    void closeIsIdempotentAndReleasesOnce() {
        CloseGuard guard = new CloseGuard("x");
        AtomicInteger released = new AtomicInteger();
        guard.close(released::incrementAndGet);
        guard.close(released::incrementAndGet);
        assertThat(released).hasValue(1);
    }

    @Test
    void closeWaitsForALeaseInFlightBeforeReleasing() throws Exception {
        CloseGuard guard = new CloseGuard("x");
        AtomicInteger released = new AtomicInteger();
        CountDownLatch leased = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger releasedWhileLeased = new AtomicInteger(-1);
        Thread user = new Thread(() -> {
            try (CloseGuard.Lease lease = guard.acquire()) {
                leased.countDown();
                finish.await();
                releasedWhileLeased.set(released.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        user.start();
        leased.await();
        Thread closer = new Thread(() -> guard.close(Duration.ofSeconds(20), released::incrementAndGet));
        closer.start();
        while (!guard.isClosed()) Thread.onSpinWait();
        assertThatThrownBy(guard::acquire).isInstanceOf(OnyxException.class);
        assertThat(released).hasValue(0);
        finish.countDown();
        closer.join(20_000);
        user.join(20_000);
        assertThat(releasedWhileLeased).hasValue(0);
        assertThat(released).hasValue(1);
        assertThat(closer.isAlive()).isFalse();
    }

    @Test
    void closeThatTimesOutSaysSoAndReleasesWhenTheLastCallReturns() throws Exception {
        CloseGuard guard = new CloseGuard("model slow.onnx");
        AtomicInteger released = new AtomicInteger();
        CountDownLatch leased = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread user = new Thread(() -> {
            try (CloseGuard.Lease lease = guard.acquire()) {
                leased.countDown();
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        user.start();
        leased.await();
        assertThatThrownBy(() -> guard.close(Duration.ofMillis(50), released::incrementAndGet))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("closing model slow.onnx timed out after 50 ms: 1 call(s) still running");
        assertThat(released).hasValue(0);
        finish.countDown();
        user.join(20_000);
        assertThat(released).hasValue(1);
        guard.close(Duration.ofMillis(50), released::incrementAndGet); // idempotent: nothing left to wait for
        assertThat(released).hasValue(1);
    }

    @Test
    void closeFromInsideALeaseDoesNotDeadlockAndReleasesWhenTheLeaseEnds() {
        CloseGuard guard = new CloseGuard("x");
        AtomicInteger released = new AtomicInteger();
        try (CloseGuard.Lease lease = guard.acquire()) {
            guard.close(Duration.ofSeconds(20), released::incrementAndGet);
            assertThat(released).hasValue(0);
            assertThatThrownBy(guard::acquire).isInstanceOf(OnyxException.class);
        }
        assertThat(released).hasValue(1);
    }

    @Test
    void concurrentClosersAllReturnAfterTheRelease() throws Exception {
        CloseGuard guard = new CloseGuard("x");
        AtomicInteger released = new AtomicInteger();
        Thread[] closers = new Thread[6];
        AtomicInteger sawReleased = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < closers.length; i++) {
            closers[i] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                guard.close(() -> {
                    sleep(30);
                    released.incrementAndGet();
                });
                if (released.get() == 1) sawReleased.incrementAndGet();
            });
            closers[i].start();
        }
        start.countDown();
        for (Thread t : closers) t.join(20_000);
        assertThat(released).hasValue(1);
        assertThat(sawReleased).hasValue(closers.length);
    }

    @Test
    void interruptedCloserKeepsItsFlag() throws Exception {
        CloseGuard guard = new CloseGuard("x");
        CountDownLatch leased = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread user = new Thread(() -> {
            try (CloseGuard.Lease lease = guard.acquire()) {
                leased.countDown();
                finish.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        user.start();
        leased.await();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> guard.close(Duration.ofSeconds(20), () -> {}))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("interrupted while closing x");
        assertThat(Thread.interrupted()).isTrue();
        finish.countDown();
        user.join(20_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
