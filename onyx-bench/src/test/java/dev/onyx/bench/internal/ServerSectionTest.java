package dev.onyx.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.bench.BenchReport.ServerLoad;
import dev.onyx.bench.BenchReport.ServerRound;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSectionTest {
    private static ServerLoad load(int clients, int texts, double rate, double p50, double p99, double ratio) {
        return new ServerLoad(clients, texts, 100, rate, p50, p50 * 2, p99, 4, 0, ratio);
    }

    @Test
    void eachLoadIsSummarizedOverTheRoundsByItsOwnRatios() {
        List<ServerRound> rounds = List.of(
                new ServerRound(1, 100, 100, List.of(load(1, 1, 50, 10, 20, 0.5), load(32, 1, 90, 200, 500, 0.9))),
                new ServerRound(2, 100, 80, List.of(load(1, 1, 48, 12, 30, 0.6), load(32, 1, 84, 220, 700, 1.05))));

        List<ServerSection.Summary> s = ServerSection.summarize(rounds);

        assertThat(s).hasSize(2);
        assertThat(s.get(0).clients()).isEqualTo(1);
        assertThat(s.get(0).meanRatio()).isCloseTo(0.55, within(1e-9));
        assertThat(s.get(1).clients()).isEqualTo(32);
        assertThat(s.get(1).meanRatio()).isCloseTo(0.975, within(1e-9));
        assertThat(s.get(1).minRatio()).isEqualTo(0.9);
        assertThat(s.get(1).maxRatio()).isEqualTo(1.05);
        assertThat(s.get(1).meanP50()).isEqualTo(210);
        assertThat(s.get(1).meanP99()).isEqualTo(600);
    }
}
