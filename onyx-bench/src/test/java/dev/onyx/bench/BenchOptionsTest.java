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
        assertThat(o.rounds()).isEqualTo(5);
        assertThat(o.latencyCalls()).isEqualTo(300);
        assertThat(o.sections()).containsExactly(Section.EMBED, Section.EXPORT, Section.NEAT, Section.SERVER);
        assertThat(o.exportCalls()).isEqualTo(500);
        assertThat(o.neatRepetitions()).isEqualTo(3);
        assertThat(o.serverTexts()).isEqualTo(2000);
        assertThat(o.serverClients()).isEqualTo(32);
        assertThat(o.serverRounds()).isEqualTo(3);
    }

    @Test
    void sectionsAreRunInReportOrderWhateverTheOrderGiven() {
        BenchOptions o = BenchOptions.parse("--sections", "server,Export");

        assertThat(o.sections()).containsExactly(Section.EXPORT, Section.SERVER);
        assertThat(o.runs(Section.EMBED)).isFalse();
        assertThat(o.runs(Section.SERVER)).isTrue();
    }

    @Test
    void unknownOrRepeatedSectionsAreRejectedNamingTheAllowedOnes() {
        assertThatThrownBy(() -> BenchOptions.parse("--sections", "embed,spark"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("unknown section 'spark'; allowed: embed, export, neat, server");
        assertThatThrownBy(() -> BenchOptions.parse("--sections", "")).hasMessageContaining("unknown section ''");
        assertThatThrownBy(() -> BenchOptions.parse("--sections", "neat,neat"))
                .hasMessage("--sections names a part twice: 'neat,neat'");
    }

    @Test
    void sectionSizeKnobsAreParsedAndRangeChecked() {
        BenchOptions o = BenchOptions.parse(
                "--export-calls",
                "20",
                "--neat-reps",
                "1",
                "--server-texts",
                "64",
                "--server-clients",
                "4",
                "--server-rounds",
                "1");

        assertThat(o.exportCalls()).isEqualTo(20);
        assertThat(o.neatRepetitions()).isEqualTo(1);
        assertThat(o.serverTexts()).isEqualTo(64);
        assertThat(o.serverClients()).isEqualTo(4);
        assertThat(o.serverRounds()).isEqualTo(1);
        assertThatThrownBy(() -> BenchOptions.parse("--export-calls", "9"))
                .hasMessage("--export-calls must be between 10 and 1000000, was 9");
        assertThatThrownBy(() -> BenchOptions.parse("--server-clients", "0"))
                .hasMessage("--server-clients must be between 1 and 1024, was 0");
    }

    @Test
    void sparkResultsAreLookedForNextToTheReport() {
        assertThat(BenchOptions.parse("--report", "out/report.md").sparkResults())
                .isEqualTo(Path.of("out/benchmarks-spark.json").toAbsolutePath());
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
