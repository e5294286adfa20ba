package dev.onyx.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The results of one {@code onyx bench} run, as written to JSON and rendered into the report; immutable values.
 *
 * @param generatedAt ISO-8601 time the run finished
 * @param machine where it ran
 * @param settings what was run
 * @param startup time from {@code Embedder.open} to the first embedding
 * @param throughput one entry per contender: {@code onyx}, {@code floor}, {@code langchain4j}, {@code onyx-int8}
 * @param latency single short-text latency per contender
 * @param parity vector agreement between pairs of contenders
 * @param ratios the headline ratios, keyed by what they compare (e.g. {@code "onyx / floor throughput"})
 * @param memory peak resident memory
 */
public record BenchReport(
        String generatedAt,
        Machine machine,
        Settings settings,
        Startup startup,
        List<Throughput> throughput,
        List<Latency> latency,
        List<Parity> parity,
        Map<String, Double> ratios,
        Memory memory) {

    public BenchReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(startup, "startup");
        throughput = List.copyOf(throughput);
        latency = List.copyOf(latency);
        parity = List.copyOf(parity);
        ratios = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ratios));
        Objects.requireNonNull(memory, "memory");
    }

    /** The machine: CPU model, logical cores, memory, OS, JVM and ONNX Runtime version. */
    public record Machine(String cpu, int cores, long memoryBytes, String os, String jvm, String onnxRuntime) {}

    /**
     * What was run.
     *
     * @param command the command line that reproduces the run
     * @param corpus where the texts came from
     * @param corpusSha256 SHA-256 of the texts used, joined with newlines
     * @param latencyText the single text timed for latency
     */
    public record Settings(
            String command,
            String model,
            String corpus,
            String corpusSha256,
            int texts,
            int rounds,
            int latencyCalls,
            String latencyText,
            int maxBatchSize,
            int maxBatchTokens,
            int intraOpThreads) {}

    /**
     * Opening cost.
     *
     * @param firstOpenMillis {@code Embedder.open} to first vector, the first in this process (loads native libraries)
     * @param secondOpenMillis the same again in the same process
     * @param modelFileCached whether the bundled model file was already extracted before this run
     */
    public record Startup(double firstOpenMillis, double secondOpenMillis, boolean modelFileCached) {}

    /**
     * Throughput over the whole corpus.
     *
     * @param tokens tokens processed per pass, special tokens included (after each contender's truncation)
     * @param roundSeconds wall time of each timed pass; the rates use their median
     * @param roundOtherCores cores other processes on the machine kept busy during each timed pass (noise)
     */
    public record Throughput(
            String name,
            double textsPerSecond,
            double tokensPerSecond,
            long tokens,
            List<Double> roundSeconds,
            List<Double> roundOtherCores) {
        public Throughput {
            roundSeconds = List.copyOf(roundSeconds);
            roundOtherCores = List.copyOf(roundOtherCores);
        }
    }

    /**
     * Latency percentiles of single-text calls, in milliseconds.
     *
     * @param otherCores cores other processes on the machine kept busy while the calls ran (noise)
     */
    public record Latency(
            String name,
            int calls,
            double p50Millis,
            double p95Millis,
            double p99Millis,
            double meanMillis,
            double otherCores) {}

    /**
     * Cosine similarity of two contenders' vectors for the same texts.
     *
     * @param note what explains differences (e.g. truncation), or empty
     */
    public record Parity(String name, int texts, double minCosine, double meanCosine, String note) {}

    /**
     * Peak resident set sizes.
     *
     * @param benchPeakRssBytes this benchmark process (all contenders loaded)
     * @param cliEmbed the CLI embedding the corpus to a file, when measured
     */
    public record Memory(long benchPeakRssBytes, List<CliRun> cliEmbed) {
        public Memory {
            cliEmbed = List.copyOf(cliEmbed);
        }
    }

    /** One measured CLI run: the command, its wall time and the peak RSS of its largest process. */
    public record CliRun(String command, double wallSeconds, long peakRssBytes, int exitCode) {}

    /** The throughput entry of a contender, if it ran. */
    public java.util.Optional<Throughput> throughputOf(String name) {
        return throughput.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The latency entry of a contender, if it ran. */
    public java.util.Optional<Latency> latencyOf(String name) {
        return latency.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
