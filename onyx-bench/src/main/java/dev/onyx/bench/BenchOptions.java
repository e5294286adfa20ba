package dev.onyx.bench;

import dev.onyx.runtime.OnyxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one {@code onyx bench} run measures and where it writes; an immutable record, safe to share.
 *
 * @param corpus a UTF-8 file with one text per line; empty = the bundled first 2,000 lines of the 1790–1899 State of
 *     the Union sentences
 * @param texts how many (non-blank) lines of the corpus to embed
 * @param model the catalog model Onyx and the floor run (LangChain4j always runs its own all-MiniLM-L6-v2)
 * @param report the Markdown report to regenerate; charts go to a {@code benchmarks/} folder next to it
 * @param json the JSON results file
 * @param rounds timed passes over the corpus per contender (interleaved; the fastest is reported)
 * @param latencyCalls timed single-text calls per contender, after warm-up
 * @param cliCommand the command whose {@code embed} run is measured for peak RSS, if any (e.g. {@code ./onyx})
 * @param quietWaitSeconds how long each measurement may wait for other processes to quiet down; 0 = measure at once
 * @param renderFrom a results JSON to re-render the report and charts from, measuring nothing
 * @param sections the parts to run, in report order, no repeats
 * @param exportCalls timed calls per ONNX export step (exports and inferences; model loads use a tenth, at least 5)
 * @param neatRepetitions timed evaluations of each NEAT population per evaluator (after one untimed)
 * @param serverTexts corpus texts the server load test sends (and the library embeds)
 * @param serverClients the numbers of concurrent one-text HTTP clients measured, ascending
 * @param serverRounds rounds, each a library pass and then every server load
 * @param floorBatch texts per batch of the floor program
 * @param latencyWarmUp untimed calls per contender and call size before the timed latency calls
 * @param batchLatencyCalls timed multi-text calls per contender
 * @param latencyBatchTexts texts per multi-text latency call
 * @param solo whether each latency contender is also measured alone in its own process
 * @param serverBatchClients concurrent clients of the multi-text server load (0 = skip it)
 * @param serverBatchTexts texts per request of the multi-text server load
 * @param soloProcesses child JVMs per latency contender when {@code solo}, run in alternating rounds; the report takes
 *     the median of their percentiles
 * @param latencyGapMillis pause before each latency call (rotated and solo), as between a service's sparse requests:
 *     ONNX Runtime's idle threads, which spin for a while after a run, may have gone to sleep by then; 0 = back to back
 */
public record BenchOptions(
        Optional<Path> corpus,
        int texts,
        String model,
        Path report,
        Path json,
        int rounds,
        int latencyCalls,
        Optional<Path> cliCommand,
        int quietWaitSeconds,
        Optional<Path> renderFrom,
        List<Section> sections,
        int exportCalls,
        int neatRepetitions,
        int serverTexts,
        List<Integer> serverClients,
        int serverRounds,
        int floorBatch,
        int latencyWarmUp,
        int batchLatencyCalls,
        int latencyBatchTexts,
        boolean solo,
        int serverBatchClients,
        int serverBatchTexts,
        int soloProcesses,
        int latencyGapMillis) {

    static final String USAGE = """
            Usage: onyx bench [--sections LIST] [--corpus FILE] [--n N] [--model NAME] [--report FILE] [--json FILE]
                              [--rounds R] [--floor-batch B] [--cli PATH | --no-cli] [--quiet-wait S]
                              [--latency-calls C] [--batch-latency-calls C] [--latency-batch T]
                              [--latency-warmup W] [--latency-gap MS] [--no-solo] [--solo-processes P]
                              [--render FILE]
                              [--export-calls N] [--neat-reps N]
                              [--server-texts N] [--server-clients LIST] [--server-rounds N]
                              [--server-batch-clients N] [--server-batch-texts T]
              --sections LIST      comma-separated parts to run: embed, latency, export, neat, server (default: all)
              --corpus FILE        one text per line (default: bundled 2,000 State of the Union sentences)
              --n N                number of texts (default 2000)
              --model NAME         catalog model for Onyx and the floor (default all-minilm-l6-v2)
              --report FILE        Markdown report to regenerate (default docs/benchmarks.md)
              --json FILE          JSON results (default docs/benchmarks.json)
              --rounds R           embed: timed passes per contender, fastest reported (default 3)
              --floor-batch B      embed/latency: texts per batch of the plain ONNX Runtime floor (default 32)
              --cli PATH           embed: launcher whose 'embed' run is measured for peak RSS (default ./onyx)
              --no-cli             embed: skip the CLI peak-RSS measurement
              --quiet-wait S       seconds each measurement may wait for other processes to go quiet (default 60)
              --latency-calls C    latency: timed single-text calls per contender, at least 10 (default 500)
              --batch-latency-calls C  latency: timed multi-text calls per contender, at least 10 (default 100)
              --latency-batch T    latency: texts per multi-text call (default 10)
              --latency-warmup W   latency: untimed calls per contender and call size first (default 200)
              --latency-gap MS     latency: pause before each call, as between sparse requests (default 0)
              --no-solo            latency: skip measuring each contender alone in its own process
              --solo-processes P   latency: processes per contender alone, alternating; medians reported (default 5)
              --render FILE        measure nothing: regenerate the report and charts from a results JSON
              --export-calls N     export: timed calls per ONNX export/inference step, at least 10 (default 500)
              --neat-reps N        neat: timed evaluations per NEAT population and evaluator (default 3)
              --server-texts N     server: texts sent per load, and embedded by the library (default 2000)
              --server-clients LIST  server: concurrent one-text clients, comma-separated (default 1,8,32,64)
              --server-rounds N    server: rounds of library pass + every load, mean ratio reported (default 5)
              --server-batch-clients N  server: clients of the multi-text load; 0 skips it (default 32)
              --server-batch-texts T    server: texts per request of the multi-text load (default 8)
            The Spark section is read from benchmarks-spark.json next to the report (write it with
            onyx-spark/bench --json docs/benchmarks-spark.json); Spark is not part of this jar.
            """;

    public BenchOptions {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(cliCommand, "cliCommand");
        Objects.requireNonNull(renderFrom, "renderFrom");
        requireRange("--n", texts, 1, 1_000_000);
        requireRange("--rounds", rounds, 1, 100);
        requireRange("--latency-calls", latencyCalls, 10, 1_000_000);
        requireRange("--quiet-wait", quietWaitSeconds, 0, 3600);
        sections = List.copyOf(sections);
        if (sections.isEmpty() || sections.size() != Set.copyOf(sections).size()) {
            throw new OnyxException("--sections must name each part at most once and at least one, was " + sections);
        }
        requireRange("--export-calls", exportCalls, 10, 1_000_000);
        requireRange("--neat-reps", neatRepetitions, 1, 1000);
        requireRange("--server-texts", serverTexts, 1, 1_000_000);
        serverClients = List.copyOf(serverClients);
        if (serverClients.isEmpty()) {
            throw new OnyxException("--server-clients must name at least one client count");
        }
        for (int c : serverClients) requireRange("--server-clients", c, 1, 1024);
        if (!serverClients.equals(serverClients.stream().sorted().distinct().toList())) {
            throw new OnyxException("--server-clients must be ascending without repeats, was " + serverClients);
        }
        requireRange("--server-rounds", serverRounds, 1, 100);
        requireRange("--floor-batch", floorBatch, 1, 4096);
        requireRange("--latency-warmup", latencyWarmUp, 0, 100_000);
        requireRange("--batch-latency-calls", batchLatencyCalls, 10, 1_000_000);
        requireRange("--latency-batch", latencyBatchTexts, 2, 4096);
        requireRange("--server-batch-clients", serverBatchClients, 0, 1024);
        requireRange("--server-batch-texts", serverBatchTexts, 1, 4096);
        requireRange("--solo-processes", soloProcesses, 1, 100);
        requireRange("--latency-gap", latencyGapMillis, 0, 10_000);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new OnyxException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    /**
     * The defaults: bundled corpus, 2,000 texts, all-minilm-l6-v2, docs/benchmarks.{md,json}, 3 rounds, floor batches
     * of 32, 500 single-text and 100 ten-text latency calls after 200 warm-up calls (issue 15's protocol: in a fresh
     * JVM Onyx's Java tokenizer is still being compiled during the first ≈ 150 calls), back to back, each contender also
     * alone in 5 processes (a solo figure is their median; with 3, the one-text p95 ratio went from 1.013 to 1.187
     * between two consecutive idle runs),
     * ./onyx when present, 60 s quiet wait, every section, 500 export calls, 3 NEAT repetitions, 2,000 server texts
     * at 1, 8, 32 and 64 clients plus 8-text requests from 32 clients, 5 rounds.
     */
    public static BenchOptions defaults() {
        Path launcher = Path.of("onyx");
        return new BenchOptions(
                Optional.empty(),
                2000,
                "all-minilm-l6-v2",
                Path.of("docs", "benchmarks.md"),
                Path.of("docs", "benchmarks.json"),
                3,
                500,
                java.nio.file.Files.isExecutable(launcher) ? Optional.of(launcher) : Optional.empty(),
                60,
                Optional.empty(),
                List.of(Section.values()),
                500,
                3,
                2000,
                List.of(1, 8, 32, 64),
                5,
                32,
                200,
                100,
                10,
                true,
                32,
                8,
                5,
                0);
    }

    /**
     * Parses command-line arguments over {@link #defaults()}.
     *
     * @throws OnyxException naming the bad argument and what is allowed
     */
    public static BenchOptions parse(String... args) {
        BenchOptions d = defaults();
        Optional<Path> corpus = d.corpus;
        int texts = d.texts;
        String model = d.model;
        Path report = d.report;
        Path json = d.json;
        int rounds = d.rounds;
        int latencyCalls = d.latencyCalls;
        Optional<Path> cli = d.cliCommand;
        int quietWait = d.quietWaitSeconds;
        Optional<Path> render = d.renderFrom;
        List<Section> sections = d.sections;
        int exportCalls = d.exportCalls;
        int neatReps = d.neatRepetitions;
        int serverTexts = d.serverTexts;
        List<Integer> serverClients = d.serverClients;
        int serverRounds = d.serverRounds;
        int floorBatch = d.floorBatch;
        int warmUp = d.latencyWarmUp;
        int batchCalls = d.batchLatencyCalls;
        int batchTexts = d.latencyBatchTexts;
        boolean solo = d.solo;
        int serverBatchClients = d.serverBatchClients;
        int serverBatchTexts = d.serverBatchTexts;
        int soloProcesses = d.soloProcesses;
        int gap = d.latencyGapMillis;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--corpus" -> corpus = Optional.of(Path.of(value(flag, rest)));
                case "--n" -> texts = integer(flag, rest);
                case "--model" -> model = value(flag, rest);
                case "--report" -> report = Path.of(value(flag, rest));
                case "--json" -> json = Path.of(value(flag, rest));
                case "--rounds" -> rounds = integer(flag, rest);
                case "--latency-calls" -> latencyCalls = integer(flag, rest);
                case "--cli" -> cli = Optional.of(Path.of(value(flag, rest)));
                case "--no-cli" -> cli = Optional.empty();
                case "--quiet-wait" -> quietWait = integer(flag, rest);
                case "--render" -> render = Optional.of(Path.of(value(flag, rest)));
                case "--sections" -> sections = sections(value(flag, rest));
                case "--export-calls" -> exportCalls = integer(flag, rest);
                case "--neat-reps" -> neatReps = integer(flag, rest);
                case "--server-texts" -> serverTexts = integer(flag, rest);
                case "--server-clients" -> serverClients = integers(flag, value(flag, rest));
                case "--server-rounds" -> serverRounds = integer(flag, rest);
                case "--floor-batch" -> floorBatch = integer(flag, rest);
                case "--latency-warmup" -> warmUp = integer(flag, rest);
                case "--batch-latency-calls" -> batchCalls = integer(flag, rest);
                case "--latency-batch" -> batchTexts = integer(flag, rest);
                case "--latency-gap" -> gap = integer(flag, rest);
                case "--no-solo" -> solo = false;
                case "--solo-processes" -> soloProcesses = integer(flag, rest);
                case "--server-batch-clients" -> serverBatchClients = integer(flag, rest);
                case "--server-batch-texts" -> serverBatchTexts = integer(flag, rest);
                default -> throw new OnyxException("unknown argument '" + flag + "'\n" + USAGE);
            }
        }
        return new BenchOptions(
                corpus,
                texts,
                model,
                report,
                json,
                rounds,
                latencyCalls,
                cli,
                quietWait,
                render,
                sections,
                exportCalls,
                neatReps,
                serverTexts,
                serverClients,
                serverRounds,
                floorBatch,
                warmUp,
                batchCalls,
                batchTexts,
                solo,
                serverBatchClients,
                serverBatchTexts,
                soloProcesses,
                gap);
    }

    /**
     * The command that reproduces one section with this run's settings (a section's own flags, plus the corpus and
     * model flags where they differ from the defaults).
     */
    public String commandFor(Section section) {
        BenchOptions d = defaults();
        StringBuilder b = new StringBuilder("./onyx bench --sections ").append(section.cliName());
        if (section == Section.EMBED || section == Section.LATENCY || section == Section.SERVER) {
            corpus.ifPresent(c -> b.append(" --corpus ").append(c));
        }
        if (section == Section.EMBED || section == Section.LATENCY) {
            if (!model.equals(d.model)) b.append(" --model ").append(model);
            b.append(" --floor-batch ").append(floorBatch);
        }
        switch (section) {
            case EMBED -> {
                b.append(" --n ").append(texts).append(" --rounds ").append(rounds);
                if (cliCommand.isEmpty()) b.append(" --no-cli");
            }
            case LATENCY -> {
                b.append(" --latency-calls ").append(latencyCalls);
                b.append(" --batch-latency-calls ").append(batchLatencyCalls);
                b.append(" --latency-batch ").append(latencyBatchTexts);
                b.append(" --latency-warmup ").append(latencyWarmUp);
                if (latencyGapMillis > 0) b.append(" --latency-gap ").append(latencyGapMillis);
                if (solo) b.append(" --solo-processes ").append(soloProcesses);
                else b.append(" --no-solo");
            }
            case EXPORT -> b.append(" --export-calls ").append(exportCalls);
            case NEAT -> b.append(" --neat-reps ").append(neatRepetitions);
            case SERVER -> {
                b.append(" --server-texts ").append(serverTexts);
                b.append(" --server-clients ")
                        .append(String.join(
                                ",", serverClients.stream().map(String::valueOf).toList()));
                b.append(" --server-rounds ").append(serverRounds);
                b.append(" --server-batch-clients ").append(serverBatchClients);
                b.append(" --server-batch-texts ").append(serverBatchTexts);
            }
        }
        return b.toString();
    }

    /** Parses {@code embed,neat}: report order, whatever order they were given in. */
    private static List<Section> sections(String list) {
        List<Section> named = new ArrayList<>();
        for (String name : list.split(",", -1)) {
            named.add(Section.parse(name));
        }
        if (named.size() != Set.copyOf(named).size()) {
            throw new OnyxException("--sections names a part twice: '" + list + "'");
        }
        return Arrays.stream(Section.values()).filter(named::contains).toList();
    }

    /** Whether {@code section} is to run. */
    public boolean runs(Section section) {
        return sections.contains(section);
    }

    /** Where the Spark benchmark's JSON is looked for: {@code benchmarks-spark.json} next to the report. */
    public Path sparkResults() {
        return report.toAbsolutePath().getParent().resolve("benchmarks-spark.json");
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new OnyxException(flag + " needs a value\n" + USAGE);
        }
        return rest.remove(0);
    }

    private static List<Integer> integers(String flag, String list) {
        List<Integer> out = new ArrayList<>();
        for (String v : list.split(",", -1)) {
            try {
                out.add(Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                throw new OnyxException(flag + " must be whole numbers separated by commas, was '" + list + "'", e);
            }
        }
        return out;
    }

    private static int integer(String flag, List<String> rest) {
        String v = value(flag, rest);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new OnyxException(flag + " must be a whole number, was '" + v + "'", e);
        }
    }

    /** The folder the charts are written to: {@code benchmarks/} next to the report. */
    public Path chartDirectory() {
        Path parent = report.toAbsolutePath().getParent();
        return parent.resolve("benchmarks");
    }
}
