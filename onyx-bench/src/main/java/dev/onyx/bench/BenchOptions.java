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
 *     and never repeat a noisy measurement
 * @param renderFrom a results JSON to re-render the report and charts from, measuring nothing
 * @param sections the parts to run, in report order, no repeats
 * @param exportCalls timed calls per ONNX export step (exports and inferences; model loads use a tenth, at least 5)
 * @param neatRepetitions timed evaluations of each NEAT population per evaluator (after one untimed)
 * @param serverTexts corpus texts the server load test sends (and the library embeds)
 * @param serverClients concurrent single-text HTTP clients
 * @param serverRounds alternating library/server rounds
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
        int serverClients,
        int serverRounds) {

    static final String USAGE = """
            Usage: onyx bench [--corpus FILE] [--n N] [--model NAME] [--report FILE] [--json FILE]
                              [--rounds R] [--latency-calls C] [--cli PATH | --no-cli] [--quiet-wait S]
                              [--render FILE] [--sections LIST] [--export-calls N] [--neat-reps N]
                              [--server-texts N] [--server-clients N] [--server-rounds N]
              --corpus FILE        one text per line (default: bundled 2,000 State of the Union sentences)
              --n N                number of texts (default 2000)
              --model NAME         catalog model for Onyx and the floor (default all-minilm-l6-v2)
              --report FILE        Markdown report to regenerate (default docs/benchmarks.md)
              --json FILE          JSON results (default docs/benchmarks.json)
              --rounds R           timed passes per contender, fastest reported (default 5)
              --latency-calls C    timed single-text calls per contender, at least 10 (default 300)
              --cli PATH           launcher whose 'embed' run is measured for peak RSS (default ./onyx if present)
              --no-cli             skip the CLI peak-RSS measurement
              --quiet-wait S       seconds each measurement may wait for other processes to go quiet;
                                   0 measures at once and never repeats a noisy one (default 60)
              --render FILE        measure nothing: regenerate the report and charts from a results JSON
              --sections LIST      comma-separated parts to run: embed, export, neat, server (default: all)
              --export-calls N     timed calls per ONNX export/inference step, at least 10 (default 500)
              --neat-reps N        timed evaluations per NEAT population and evaluator (default 3)
              --server-texts N     texts the server load test sends (default 2000)
              --server-clients N   concurrent server clients (default 32)
              --server-rounds N    alternating library/server rounds, mean ratio judged (default 3)
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
        requireRange("--server-clients", serverClients, 1, 1024);
        requireRange("--server-rounds", serverRounds, 1, 100);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new OnyxException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    /**
     * The defaults: bundled corpus, 2,000 texts, all-minilm-l6-v2, docs/benchmarks.{md,json}, 5 rounds, 300 calls,
     * ./onyx when present, 60 s quiet wait, every section, 500 export calls, 3 NEAT repetitions, 2,000 server texts
     * from 32 clients in 3 rounds.
     */
    public static BenchOptions defaults() {
        Path launcher = Path.of("onyx");
        return new BenchOptions(
                Optional.empty(),
                2000,
                "all-minilm-l6-v2",
                Path.of("docs", "benchmarks.md"),
                Path.of("docs", "benchmarks.json"),
                5,
                300,
                java.nio.file.Files.isExecutable(launcher) ? Optional.of(launcher) : Optional.empty(),
                60,
                Optional.empty(),
                List.of(Section.values()),
                500,
                3,
                2000,
                32,
                3);
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
        int serverClients = d.serverClients;
        int serverRounds = d.serverRounds;
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
                case "--server-clients" -> serverClients = integer(flag, rest);
                case "--server-rounds" -> serverRounds = integer(flag, rest);
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
                serverRounds);
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
