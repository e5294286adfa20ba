package dev.onyx.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.runtime.Device;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class RunCostModelTest {

    /** Runs of 1–16 inputs × 10–96 tokens timed as {@code fixed + perToken × padded tokens}, with ±10 % noise. */
    private static void feed(RunCostModel model, double fixedMillis, double perTokenMillis, int runs, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < runs; i++) {
            long padded = (long) (1 + random.nextInt(16)) * (10 + random.nextInt(87));
            double millis = (fixedMillis + perTokenMillis * padded) * (0.9 + 0.2 * random.nextDouble());
            model.observe(padded, (long) (millis * 1e6));
        }
    }

    @Test
    void fitsTheFixedCostOfARunInTokens() {
        RunCostModel cpu = new RunCostModel(1, 1024);
        feed(cpu, 1.7, 0.29, 2_000, 1); // one thread per run on this machine: ≈ 6 tokens
        assertThat(cpu.tokens()).isCloseTo(1.7 / 0.29, within(1.5));

        RunCostModel gpu = new RunCostModel(1, 1024);
        feed(gpu, 3.0, 0.01, 2_000, 2); // a large fixed cost next to a cheap token: 300 tokens
        assertThat(gpu.tokens()).isCloseTo(300, within(60.0));
    }

    @Test
    void followsAChangeInTheMachine() {
        RunCostModel model = new RunCostModel(1, 1024);
        feed(model, 1.7, 0.29, 1_000, 3);
        assertThat(model.tokens()).isLessThan(10);

        feed(model, 6.0, 0.15, 5_000, 4); // e.g. more threads per run: 40 tokens

        assertThat(model.tokens()).isCloseTo(40, within(8.0));
    }

    @Test
    void keepsItsStartValueUntilEnoughRunsOrSpreadAreSeen() {
        RunCostModel few = new RunCostModel(1, 1024);
        feed(few, 10, 0.01, RunCostModel.MIN_RUNS - 1, 5);
        assertThat(few.tokens()).isEqualTo(RunCostModel.START_TOKENS);

        RunCostModel oneSize = new RunCostModel(1, 1024);
        for (int i = 0; i < 500; i++) oneSize.observe(64, 5_000_000 + i % 7);
        assertThat(oneSize.tokens()).isEqualTo(RunCostModel.START_TOKENS);
        assertThat(oneSize.runs()).isEqualTo(500);
    }

    @Test
    void timesRunsByThreadCpuOnACpuAndByWallTimeOnAnAccelerator() throws InterruptedException {
        LongSupplier cpu = RunCostModel.clockFor(Device.CPU);
        LongSupplier wall = RunCostModel.clockFor(Device.CUDA);
        long cpu0 = cpu.getAsLong();
        long wall0 = wall.getAsLong();

        Thread.sleep(200); // waiting for a core costs wall time, not this thread's CPU

        assertThat(wall.getAsLong() - wall0).isGreaterThanOrEqualTo(200_000_000L);
        assertThat(cpu.getAsLong() - cpu0).isLessThan(50_000_000L);
    }

    @Test
    void staysWithinItsBoundsAndIgnoresNonsense() {
        RunCostModel model = new RunCostModel(2, 16);
        feed(model, 50, 0.001, 1_000, 6); // 50,000 tokens: clamped
        assertThat(model.tokens()).isEqualTo(16);

        RunCostModel noFixedCost = new RunCostModel(2, 16);
        feed(noFixedCost, 0, 0.3, 1_000, 7);
        assertThat(noFixedCost.tokens()).isBetween(2.0, 3.0);

        noFixedCost.observe(0, 5_000_000);
        noFixedCost.observe(100, -1);
        assertThat(noFixedCost.runs()).isEqualTo(1_000);

        assertThatThrownBy(() -> new RunCostModel(0, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lowest");
    }
}
