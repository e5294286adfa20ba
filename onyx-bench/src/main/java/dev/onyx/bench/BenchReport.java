package dev.onyx.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
 * @param throughput one entry per contender: {@code onyx}, {@code floor}, {@code floor-fused}, {@code langchain4j},
 *     {@code onyx-int8}
 * @param latency call latency per contender, call size and mode
 * @param parity vector agreement between pairs of contenders
 * @param ratios the headline ratios, keyed by what they compare (e.g. {@code "onyx / floor throughput"})
 * @param memory peak resident memory
 * @param sections the parts this run measured; the report renders only their sections (plus Spark)
 * @param export ONNX export, load and inference timings (empty unless {@link Section#EXPORT} ran)
 * @param neat NEAT per-generation evaluation cost (empty unless {@link Section#NEAT} ran)
 * @param server server-vs-library rounds (empty unless {@link Section#SERVER} ran)
 * @param spark the Spark benchmark's results, read from its own JSON file ({@link Spark#NONE} when there was none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BenchReport(
        String generatedAt,
        Machine machine,
        Settings settings,
        Startup startup,
        List<Throughput> throughput,
        List<Latency> latency,
        List<Parity> parity,
        Map<String, Double> ratios,
        Memory memory,
        List<Section> sections,
        List<ExportTiming> export,
        List<NeatCost> neat,
        List<ServerRound> server,
        Spark spark) {

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
        // absent in results written before these sections existed: those runs measured embedding only
        sections = sections == null ? List.of(Section.EMBED) : List.copyOf(sections);
        export = export == null ? List.of() : List.copyOf(export);
        neat = neat == null ? List.of() : List.copyOf(neat);
        server = server == null ? List.of() : List.copyOf(server);
        spark = spark == null ? Spark.NONE : spark;
    }

    /** This report with the Spark results replaced. */
    public BenchReport withSpark(Spark spark) {
        return new BenchReport(
                generatedAt,
                machine,
                settings,
                startup,
                throughput,
                latency,
                parity,
                ratios,
                memory,
                sections,
                export,
                neat,
                server,
                Objects.requireNonNull(spark, "spark"));
    }

    /** Whether this run measured {@code section}. */
    public boolean ran(Section section) {
        return sections.contains(section);
    }

    /**
     * One timed step on one exported model, in milliseconds per call.
     *
     * @param model what was exported ({@code neat-100} or {@code text-classifier})
     * @param step what was timed: {@code export}, {@code load}, or inference ({@code onnx}/{@code java} evaluator,
     *     {@code single} row or {@code batch N})
     * @param modelBytes size of the exported model
     */
    public record ExportTiming(
            String model,
            String step,
            int calls,
            double meanMillis,
            double p95Millis,
            double p99Millis,
            long modelBytes) {}

    /**
     * Evaluating one NEAT population once (one generation's fitness), per evaluator; milliseconds per generation.
     *
     * @param exportMillis ONNX export share; {@code setupMillis} compile share (ONNX: session create + close; native:
     *     compiling the genome); {@code runMillis}
     *     time inside {@code activate}; {@code activateCalls} calls per generation; {@code repetitions} timed evaluations
     *     averaged
     */
    public record NeatCost(
            String population,
            int genomes,
            int repetitions,
            String evaluator,
            double millisPerGeneration,
            double exportMillis,
            double setupMillis,
            double runMillis,
            long activateCalls) {}

    /**
     * One server round: the library embeds the texts in one {@code embed(texts)} call, then the server receives them
     * at every load.
     *
     * @param libraryTextsPerSecond the library's throughput this round
     * @param loads the server's figures, one per load, in the order run
     */
    public record ServerRound(int round, int texts, double libraryTextsPerSecond, List<ServerLoad> loads) {
        public ServerRound {
            loads = List.copyOf(loads);
        }
    }

    /**
     * The server under one load: {@code clients} concurrent HTTP clients, each sending requests of
     * {@code textsPerRequest} texts until the round's texts are all sent.
     *
     * @param ratio server texts/s over the same round's library texts/s
     * @param meanBatch mean inputs per scheduled model batch, from the server's {@code /metrics}
     * @param errors requests answered with another status than 200, or failed
     */
    public record ServerLoad(
            int clients,
            int textsPerRequest,
            int requests,
            double textsPerSecond,
            double p50Millis,
            double p95Millis,
            double p99Millis,
            double meanBatch,
            int errors,
            double ratio) {}

    /**
     * The Spark benchmark ({@code onyx-spark/bench --json FILE}), which runs outside the bench jar so that it does not
     * carry Spark.
     *
     * @param command how it was run
     * @param rows one per setup; empty when no results were found
     * @param firstPassSeconds the first Spark pass, executor model load included
     * @param executorLoadSeconds the executor's model load, first in its JVM
     * @param reopenSeconds opening the model again in a warm JVM
     */
    public record Spark(
            String command,
            String generatedAt,
            int texts,
            int passes,
            int cores,
            List<SparkRow> rows,
            double firstPassSeconds,
            double executorLoadSeconds,
            double reopenSeconds) {
        /** No Spark results. */
        public static final Spark NONE = new Spark("", "", 0, 0, 0, List.of(), 0, 0, 0);

        public Spark {
            command = command == null ? "" : command;
            generatedAt = generatedAt == null ? "" : generatedAt;
            rows = rows == null ? List.of() : List.copyOf(rows);
        }
    }

    /** One Spark setup: the best pass's wall time over {@code texts} texts. */
    public record SparkRow(String setup, int texts, double seconds, double textsPerSecond) {}

    /** The machine: CPU model, logical cores, memory, OS, JVM and ONNX Runtime version. */
    public record Machine(String cpu, int cores, long memoryBytes, String os, String jvm, String onnxRuntime) {}

    /**
     * What was run.
     *
     * @param command the command line that ran
     * @param corpus where the texts came from
     * @param corpusSha256 SHA-256 of the texts used, joined with newlines
     * @param chunkTexts texts per interleaved throughput chunk
     * @param latencyText the single text timed for latency
     * @param maxBatchSize Onyx's batch size (default options)
     * @param intraOpThreads Onyx's intra-op threads (default options)
     * @param onyxGraph what Onyx runs ({@code ModelInfo.graph()})
     * @param floorBatch texts per batch of the floor
     * @param floorThreads intra-op threads of the floor's session
     * @param int8Model the int8 model Onyx also ran, or empty
     * @param serverConfig the server's configuration as run, empty when the server section did not run
     * @param serverEmbedOptions the served embedder's options as run, empty when the server section did not run
     * @param serverClient the HTTP client that loaded the server, empty when the server section did not run
     * @param commands the command reproducing each section that ran, by section name
     * @param soloProcesses child JVMs per latency contender when {@code solo} (0 in results written before it existed)
     * @param serverWarmUp what the server section ran before its rounds, empty when it did not run (or in results
     *     written before the field existed)
     * @param latencyGapMillis pause before each latency call, rotated and solo (0: back to back, as in results written
     *     before the field existed)
     */
    public record Settings(
            String command,
            String model,
            String corpus,
            String corpusSha256,
            int texts,
            int rounds,
            int chunkTexts,
            int latencyCalls,
            int batchLatencyCalls,
            int latencyBatchTexts,
            int latencyWarmUp,
            boolean solo,
            String latencyText,
            int maxBatchSize,
            int maxBatchTokens,
            int intraOpThreads,
            String onyxGraph,
            int floorBatch,
            int floorThreads,
            String int8Model,
            String serverConfig,
            String serverEmbedOptions,
            String serverClient,
            Map<String, String> commands,
            int soloProcesses,
            String serverWarmUp,
            int latencyGapMillis) {
        public Settings {
            serverClient = serverClient == null ? "" : serverClient; // results written before the field existed
            serverWarmUp = serverWarmUp == null ? "" : serverWarmUp;
            commands = commands == null
                    ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(commands));
        }

        /** The command reproducing {@code section}, or empty. */
        public String commandFor(Section section) {
            return commands.getOrDefault(section.cliName(), "");
        }
    }

    /**
     * Opening cost, measured in a fresh JVM after this run had opened the model (so its files are in the cache).
     *
     * @param firstOpenMillis {@code Embedder.open} to first vector, the first in that process
     * @param secondOpenMillis the same again in the same process
     */
    public record Startup(double firstOpenMillis, double secondOpenMillis) {}

    /**
     * Throughput over the whole corpus.
     *
     * @param tokens tokens processed per pass, special tokens included (after each contender's truncation)
     * @param roundSeconds wall time of each timed pass; the rates use the fastest
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
     * Latency percentiles of calls of {@code textsPerCall} texts, in milliseconds.
     *
     * @param mode {@code rotated}: the contenders' calls take turns in one process, the first of each turn rotating;
     *     {@code solo}: this contender alone in its own process
     * @param calls timed calls (per process, for {@code solo})
     * @param otherCores cores other processes on the machine kept busy while the calls ran (noise; for {@code solo},
     *     the most of any of its processes)
     * @param processes for {@code solo}: each process's own figures, in the order they ran; the percentiles and mean
     *     above are then the medians over these (one lucky or unlucky process cannot decide a ratio). Empty for
     *     {@code rotated}.
     */
    public record Latency(
            String name,
            String mode,
            int textsPerCall,
            int calls,
            double p50Millis,
            double p95Millis,
            double p99Millis,
            double meanMillis,
            double otherCores,
            List<ProcessLatency> processes) {
        public Latency {
            processes = processes == null ? List.of() : List.copyOf(processes);
        }
    }

    /** One solo process's latency percentiles and mean, in milliseconds, and the noise from other processes meanwhile. */
    public record ProcessLatency(
            double p50Millis, double p95Millis, double p99Millis, double meanMillis, double otherCores) {}

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

    /** The latency entry of a contender in a mode and call size, if it ran. */
    public java.util.Optional<Latency> latencyOf(String name, String mode, int textsPerCall) {
        return latency.stream()
                .filter(t -> t.name().equals(name) && t.mode().equals(mode) && t.textsPerCall() == textsPerCall)
                .findFirst();
    }
}
