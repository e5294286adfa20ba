package dev.onyx.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaultsMeasureTwoThousandBundledTextsIntoDocs() {
        BenchOptions o = BenchOptions.parse();

        assertThat(o.corpus()).isEmpty();
        assertThat(o.texts()).isEqualTo(2000);
        assertThat(o.model()).isEqualTo("all-minilm-l6-v2");
        assertThat(o.report()).isEqualTo(Path.of("docs", "benchmarks.md"));
        assertThat(o.json()).isEqualTo(Path.of("docs", "benchmarks.json"));
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.latencyCalls()).isEqualTo(300);
    }

    @Test
    void everyFlagIsParsed() {
        BenchOptions o = BenchOptions.parse(
                "--corpus",
                "c.txt",
                "--n",
                "50",
                "--model",
                "all-minilm-l6-v2-q",
                "--report",
                "r.md",
                "--json",
                "r.json",
                "--rounds",
                "2",
                "--latency-calls",
                "20",
                "--cli",
                "bin/onyx",
                "--quiet-wait",
                "0",
                "--render",
                "old.json");

        assertThat(o.corpus()).contains(Path.of("c.txt"));
        assertThat(o.texts()).isEqualTo(50);
        assertThat(o.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(o.report()).isEqualTo(Path.of("r.md"));
        assertThat(o.json()).isEqualTo(Path.of("r.json"));
        assertThat(o.rounds()).isEqualTo(2);
        assertThat(o.latencyCalls()).isEqualTo(20);
        assertThat(o.cliCommand()).contains(Path.of("bin/onyx"));
        assertThat(o.quietWaitSeconds()).isZero();
        assertThat(o.renderFrom()).contains(Path.of("old.json"));
        assertThat(BenchOptions.parse("--cli", "x", "--no-cli").cliCommand()).isEmpty();
    }

    @Test
    void chartsGoNextToTheReport() {
        BenchOptions o = BenchOptions.parse("--report", "out/report.md");

        assertThat(o.chartDirectory()).isEqualTo(Path.of("out/benchmarks").toAbsolutePath());
    }

    @Test
    void unknownFlagsAreRejectedWithTheUsage() {
        assertThatThrownBy(() -> BenchOptions.parse("--fast"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("unknown argument '--fast'")
                .hasMessageContaining("--latency-calls");
    }

    @Test
    void numbersMustBeWholeAndInRange() {
        assertThatThrownBy(() -> BenchOptions.parse("--n", "many"))
                .hasMessageContaining("--n must be a whole number, was 'many'");
        assertThatThrownBy(() -> BenchOptions.parse("--n", "0")).hasMessageContaining("--n must be between 1 and");
        assertThatThrownBy(() -> BenchOptions.parse("--latency-calls", "5"))
                .hasMessageContaining("--latency-calls must be between 10 and");
        assertThatThrownBy(() -> BenchOptions.parse("--rounds")).hasMessageContaining("--rounds needs a value");
    }
}
