package dev.onyx.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class ContendersTest {
    @Test
    void theFirstContenderOfEachRoundRotatesSoNoneAlwaysGoesFirst() {
        List<Integer> order = new ArrayList<>();
        List<DoubleSupplier> calls = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            int id = c;
            calls.add(() -> {
                order.add(id);
                return id;
            });
        }
        double[] sink = {0};

        double[][] millis = Contenders.rotate(calls, 1, 3, 0, sink);

        // one warm-up round, then three timed rounds: 0 1 2 | 0 1 2 | 1 2 0 | 2 0 1
        assertThat(order).containsExactly(0, 1, 2, 0, 1, 2, 1, 2, 0, 2, 0, 1);
        assertThat(millis).hasDimensions(3, 3);
        assertThat(sink[0]).isEqualTo(12);
    }

    @Test
    void aGapPausesBeforeEveryCallOutsideTheTimedPart() {
        List<Long> starts = new ArrayList<>();
        List<DoubleSupplier> calls = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            calls.add(() -> {
                starts.add(System.nanoTime());
                return 0;
            });
        }

        double[][] millis = Contenders.rotate(calls, 1, 2, 30, new double[] {0});

        assertThat(starts).hasSize(6);
        for (int i = 1; i < starts.size(); i++) {
            assertThat((starts.get(i) - starts.get(i - 1)) / 1e6)
                    .as("pause before call %d", i)
                    .isGreaterThanOrEqualTo(30);
        }
        for (double[] contender : millis) {
            for (double call : contender)
                assertThat(call).as("the pause is not timed").isLessThan(30);
        }
    }
}
