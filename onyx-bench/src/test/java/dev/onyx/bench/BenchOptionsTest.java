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
        assertThat(o.latencyCalls()).isEqualTo(500);
        assertThat(o.sections())
                .containsExactly(Section.EMBED, Section.LATENCY, Section.EXPORT, Section.NEAT, Section.SERVER);
        assertThat(o.floorBatch()).isEqualTo(32);
        assertThat(o.latencyWarmUp()).isEqualTo(200);
        assertThat(o.batchLatencyCalls()).isEqualTo(100);
        assertThat(o.latencyBatchTexts()).isEqualTo(10);
        assertThat(o.solo()).isTrue();
        assertThat(o.soloProcesses()).isEqualTo(5);
        assertThat(o.serverBatchClients()).isEqualTo(32);
        assertThat(o.serverBatchTexts()).isEqualTo(8);
        assertThat(o.exportCalls()).isEqualTo(500);
        assertThat(o.neatRepetitions()).isEqualTo(3);
        assertThat(o.serverTexts()).isEqualTo(2000);
        assertThat(o.serverClients()).containsExactly(1, 8, 32, 64);
        assertThat(o.serverRounds()).isEqualTo(5);
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
                .hasMessage("unknown section 'spark'; allowed: embed, latency, export, neat, server");
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
                "2,4",
                "--server-rounds",
                "1");

        assertThat(o.exportCalls()).isEqualTo(20);
        assertThat(o.neatRepetitions()).isEqualTo(1);
        assertThat(o.serverTexts()).isEqualTo(64);
        assertThat(o.serverClients()).containsExactly(2, 4);
        assertThat(o.serverRounds()).isEqualTo(1);
        assertThatThrownBy(() -> BenchOptions.parse("--export-calls", "9"))
                .hasMessage("--export-calls must be between 10 and 1000000, was 9");
        assertThatThrownBy(() -> BenchOptions.parse("--server-clients", "8,1"))
                .hasMessageContaining("--server-clients must be ascending without repeats, was [8, 1]");
        assertThatThrownBy(() -> BenchOptions.parse("--server-clients", "1,x"))
                .hasMessageContaining("--server-clients must be whole numbers separated by commas, was '1,x'");
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
    void latencyAndFloorKnobsAreParsedAndRangeChecked() {
        BenchOptions o = BenchOptions.parse(
                "--floor-batch",
                "16",
                "--latency-warmup",
                "0",
                "--batch-latency-calls",
                "12",
                "--latency-batch",
                "4",
                "--no-solo",
                "--server-batch-clients",
                "0",
                "--server-batch-texts",
                "2");

        assertThat(o.floorBatch()).isEqualTo(16);
        assertThat(o.latencyWarmUp()).isZero();
        assertThat(o.batchLatencyCalls()).isEqualTo(12);
        assertThat(o.latencyBatchTexts()).isEqualTo(4);
        assertThat(o.solo()).isFalse();
        assertThat(o.serverBatchClients()).isZero();
        assertThat(o.serverBatchTexts()).isEqualTo(2);
        assertThatThrownBy(() -> BenchOptions.parse("--floor-batch", "0"))
                .hasMessageContaining("--floor-batch must be between 1 and 4096, was 0");
        assertThatThrownBy(() -> BenchOptions.parse("--latency-batch", "1"))
                .hasMessageContaining("--latency-batch must be between 2 and 4096, was 1");
    }

    @Test
    void eachSectionsCommandCarriesItsOwnSettings() {
        BenchOptions o = BenchOptions.parse(
                "--n",
                "200",
                "--rounds",
                "2",
                "--latency-calls",
                "20",
                "--no-solo",
                "--server-clients",
                "1,32",
                "--model",
                "bge-small-en-v1.5",
                "--no-cli");

        assertThat(o.commandFor(Section.EMBED))
                .isEqualTo("./onyx bench --sections embed --model bge-small-en-v1.5 --floor-batch 32 --n 200"
                        + " --rounds 2 --no-cli");
        assertThat(o.commandFor(Section.LATENCY))
                .isEqualTo("./onyx bench --sections latency --model bge-small-en-v1.5 --floor-batch 32"
                        + " --latency-calls 20 --batch-latency-calls 100 --latency-batch 10 --latency-warmup 200"
                        + " --no-solo");
        assertThat(o.commandFor(Section.SERVER))
                .isEqualTo("./onyx bench --sections server --server-texts 2000 --server-clients 1,32"
                        + " --server-rounds 5 --server-batch-clients 32 --server-batch-texts 8");
        assertThat(o.commandFor(Section.NEAT)).isEqualTo("./onyx bench --sections neat --neat-reps 3");
        assertThat(latencyCommandParsedAgain(o)).satisfies(again -> {
            assertThat(again.latencyCalls()).isEqualTo(20);
            assertThat(again.solo()).isFalse();
            assertThat(again.model()).isEqualTo("bge-small-en-v1.5");
        });
    }

    @Test
    void soloProcessesAreCountedAndCarriedInTheLatencyCommand() {
        BenchOptions o = BenchOptions.parse("--solo-processes", "5", "--latency-calls", "40");

        assertThat(o.soloProcesses()).isEqualTo(5);
        assertThat(o.commandFor(Section.LATENCY))
                .isEqualTo("./onyx bench --sections latency --floor-batch 32 --latency-calls 40"
                        + " --batch-latency-calls 100 --latency-batch 10 --latency-warmup 200 --solo-processes 5");
        assertThat(latencyCommandParsedAgain(o).soloProcesses()).isEqualTo(5);
        assertThatThrownBy(() -> BenchOptions.parse("--solo-processes", "0"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("--solo-processes must be between 1 and 100, was 0");
    }

    @Test
    void aGapBetweenLatencyCallsIsParsedCarriedInTheCommandAndRangeChecked() {
        assertThat(BenchOptions.defaults().latencyGapMillis()).isZero(); // back to back unless asked
        BenchOptions o = BenchOptions.parse("--latency-gap", "20", "--no-solo");

        assertThat(o.latencyGapMillis()).isEqualTo(20);
        assertThat(o.commandFor(Section.LATENCY)).endsWith("--latency-warmup 200 --latency-gap 20 --no-solo");
        assertThat(latencyCommandParsedAgain(o).latencyGapMillis()).isEqualTo(20);
        assertThatThrownBy(() -> BenchOptions.parse("--latency-gap", "-1"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("--latency-gap must be between 0 and 10000, was -1");
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

    /** The options the latency section's reproducing command parses to. */
    private static BenchOptions latencyCommandParsedAgain(BenchOptions o) {
        return BenchOptions.parse(o.commandFor(Section.LATENCY)
                .substring("./onyx bench ".length())
                .split(" "));
    }
}
