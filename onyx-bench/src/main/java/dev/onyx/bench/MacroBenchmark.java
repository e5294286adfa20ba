package dev.onyx.bench;

import dev.onyx.bench.internal.ChildProcess;
import dev.onyx.bench.internal.CliProbe;
import dev.onyx.bench.internal.Contenders;
import dev.onyx.bench.internal.Corpus;
import dev.onyx.bench.internal.ExportBenchmark;
import dev.onyx.bench.internal.LatencyBenchmark;
import dev.onyx.bench.internal.MachineInfo;
import dev.onyx.bench.internal.ModelFiles;
import dev.onyx.bench.internal.NeatBenchmark;
import dev.onyx.bench.internal.ProcessMemory;
import dev.onyx.bench.internal.Quiet;
import dev.onyx.bench.internal.ServerBenchmark;
import dev.onyx.bench.internal.ThroughputBenchmark;
import dev.onyx.embed.EmbedOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The benchmark behind {@code onyx bench}: runs the sections {@link BenchOptions#sections()} names — Onyx against an
 * independent plain ONNX Runtime program (the floor), LangChain4j and Onyx's int8 variant (throughput, parity, startup,
 * memory), call latency (rotated in one process, and each contender alone), ONNX export, NEAT evaluators and the
 * embedding server against the library. Not thread-safe; one instance runs once.
 */
public final class MacroBenchmark {
    /** The one short text timed for single-text latency. */
    static final String LATENCY_TEXT = "The progress of public credit is witnessed by a considerable rise of stock.";

    /** Texts per interleaved throughput chunk. */
    static final int CHUNK = 250;

    private final BenchOptions options;
    private final PrintStream log;
    private final EmbedOptions embedOptions = EmbedOptions.defaults();
    private final Quiet quiet;

    public MacroBenchmark(BenchOptions options, PrintStream log) {
        this.options = Objects.requireNonNull(options, "options");
        this.log = Objects.requireNonNull(log, "log");
        this.quiet = new Quiet(log, options.quietWaitSeconds());
    }

    /** Runs the parts {@link BenchOptions#sections()} names and returns the results. */
    public BenchReport run(String command) throws IOException {
        Corpus corpus = Corpus.load(options.corpus(), options.texts());
        boolean models = options.runs(Section.EMBED) || options.runs(Section.LATENCY);
        ModelFiles files = models ? ModelFiles.of(options.model()) : null;
        int floorThreads = Runtime.getRuntime().availableProcessors();
        BenchReport.Startup startup = new BenchReport.Startup(0, 0);
        List<BenchReport.Throughput> throughput = List.of();
        List<BenchReport.Parity> parity = List.of();
        List<BenchReport.CliRun> cli = List.of();
        String int8Model = "";
        if (options.runs(Section.EMBED)) {
            ThroughputBenchmark.Result t = new ThroughputBenchmark(
                            files, options.floorBatch(), floorThreads, options.rounds(), CHUNK, quiet, log)
                    .run(corpus.texts());
            throughput = t.throughput();
            parity = t.parity();
            int8Model = t.int8Model();
            startup = startup(files);
            cli = cliRun(corpus);
        }
        List<BenchReport.Latency> latency = List.of();
        if (options.runs(Section.LATENCY)) {
            latency = new LatencyBenchmark(
                            files,
                            options.floorBatch(),
                            floorThreads,
                            options.latencyWarmUp(),
                            LATENCY_TEXT,
                            options.latencyCalls(),
                            corpus.texts()
                                    .subList(
                                            0,
                                            Math.min(
                                                    options.latencyBatchTexts(),
                                                    corpus.texts().size())),
                            options.batchLatencyCalls(),
                            options.solo() ? options.soloProcesses() : 0,
                            options.latencyGapMillis(),
                            quiet,
                            log)
                    .run();
        }
        List<BenchReport.ExportTiming> export = List.of();
        if (options.runs(Section.EXPORT)) {
            quiet.settle();
            export = new ExportBenchmark(options.exportCalls(), log).run();
        }
        List<BenchReport.NeatCost> neat = List.of();
        if (options.runs(Section.NEAT)) {
            quiet.settle();
            neat = new NeatBenchmark(options.neatRepetitions(), log).run();
        }
        ServerBenchmark.Result server = new ServerBenchmark.Result(List.of(), "", "", "", "");
        if (options.runs(Section.SERVER)) {
            quiet.settle();
            List<int[]> loads = new ArrayList<>();
            options.serverClients().forEach(c -> loads.add(new int[] {c, 1}));
            if (options.serverBatchClients() > 0) {
                loads.add(new int[] {options.serverBatchClients(), options.serverBatchTexts()});
            }
            List<String> texts =
                    Corpus.load(options.corpus(), options.serverTexts()).texts();
            server = new ServerBenchmark(options.model(), texts, loads, options.serverRounds(), quiet, log).run();
        }
        Map<String, String> commands = new LinkedHashMap<>();
        options.sections().forEach(s -> commands.put(s.cliName(), options.commandFor(s)));
        BenchReport.Settings settings = new BenchReport.Settings(
                command,
                options.model(),
                corpus.source(),
                corpus.sha256(),
                corpus.texts().size(),
                options.rounds(),
                CHUNK,
                options.latencyCalls(),
                options.batchLatencyCalls(),
                Math.min(options.latencyBatchTexts(), corpus.texts().size()),
                options.latencyWarmUp(),
                options.solo(),
                LATENCY_TEXT,
                embedOptions.maxBatchSize(),
                embedOptions.maxBatchTokens(),
                embedOptions.runtime().effectiveIntraOpThreads(),
                files == null ? "" : files.onyxGraph(),
                options.floorBatch(),
                floorThreads,
                int8Model,
                server.config(),
                server.servedOptions(),
                server.client(),
                commands,
                options.solo() ? options.soloProcesses() : 0,
                server.warmUp(),
                options.latencyGapMillis());
        return new BenchReport(
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                MachineInfo.describe(),
                settings,
                startup,
                throughput,
                latency,
                parity,
                Ratios.of(throughput, latency),
                new BenchReport.Memory(ProcessMemory.selfPeakRssBytes(), cli),
                options.sections(),
                export,
                neat,
                server.rounds(),
                BenchReport.Spark.NONE);
    }

    /** Open → first embedding, twice, in a fresh JVM (this process has opened the model, so its files are cached). */
    private BenchReport.Startup startup(ModelFiles files) throws IOException {
        quiet.settle();
        ChildProcess.Result r = ChildProcess.run(
                new ChildProcess.Request("startup", files, Contenders.ONYX, 1, 1, 0, LATENCY_TEXT, 0, List.of(), 0, 0),
                log);
        BenchReport.Startup startup =
                new BenchReport.Startup(Ratios.round(r.firstOpenMillis(), 1), Ratios.round(r.secondOpenMillis(), 1));
        log.printf(
                "open -> first embedding in a fresh JVM: %.0f ms (first), %.0f ms (again)%n",
                startup.firstOpenMillis(), startup.secondOpenMillis());
        return startup;
    }

    /** The CLI's peak RSS on the corpus, when a launcher is given; a launcher that cannot start is reported, not fatal. */
    private List<BenchReport.CliRun> cliRun(Corpus corpus) {
        if (options.cliCommand().isEmpty()) {
            return List.of();
        }
        try {
            return List.of(CliProbe.embed(options.cliCommand().get(), corpus.texts(), log));
        } catch (IOException e) {
            log.println("cli embed not measured: " + e.getMessage());
            return List.of();
        }
    }
}
