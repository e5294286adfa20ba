package dev.onyx.bench;

import dev.onyx.bench.internal.CliProbe;
import dev.onyx.bench.internal.Corpus;
import dev.onyx.bench.internal.CpuMonitor;
import dev.onyx.bench.internal.ExportBenchmark;
import dev.onyx.bench.internal.Floor;
import dev.onyx.bench.internal.LangChain4jPeer;
import dev.onyx.bench.internal.MachineInfo;
import dev.onyx.bench.internal.NeatBenchmark;
import dev.onyx.bench.internal.ProcessMemory;
import dev.onyx.bench.internal.Quiet;
import dev.onyx.bench.internal.ServerBenchmark;
import dev.onyx.bench.internal.Stats;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.internal.BundledModels;
import dev.onyx.embed.internal.Catalog;
import dev.onyx.embed.internal.OnyxCache;
import dev.onyx.embed.internal.ParallelBatches;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.stream.LongStream;

/**
 * The side-by-side macro benchmark behind {@code onyx bench}: Onyx, the raw ONNX Runtime floor, LangChain4j and Onyx's
 * int8 variant on the same texts and the same ONNX file, one after another (never two at once). Not thread-safe; one
 * instance runs once.
 */
public final class MacroBenchmark {
    /** The one short text timed for single-text latency. */
    static final String LATENCY_TEXT = "The progress of public credit is witnessed by a considerable rise of stock.";

    static final String ONYX = "onyx";
    static final String FLOOR = "floor";
    static final String FLOOR_EXPORTED = "floor-exported";
    /** Texts per interleaved throughput measurement (see {@link #timePasses}). */
    static final int CHUNK = 250;

    static final String LANGCHAIN4J = "langchain4j";
    static final String INT8 = "onyx-int8";

    private static final int WARM_UP_CALLS = 50;

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
        Catalog.Entry entry = Catalog.find(options.model())
                .orElseThrow(() -> new OnyxException("unknown model '" + options.model() + "'; the bench runs catalog"
                        + " models: " + Catalog.names()));
        Corpus corpus = Corpus.load(options.corpus(), options.texts());
        BenchReport.Startup startup = new BenchReport.Startup(0, 0, false);
        Results results = new Results();
        List<BenchReport.CliRun> cli = List.of();
        if (options.runs(Section.EMBED)) {
            startup = embed(entry, corpus, results);
            cli = cliRun(corpus);
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
        List<BenchReport.ServerRound> server = List.of();
        if (options.runs(Section.SERVER)) {
            quiet.settle();
            List<String> texts =
                    Corpus.load(options.corpus(), options.serverTexts()).texts();
            server = ServerBenchmark.run(texts, options.serverClients(), options.serverRounds(), log);
        }
        return new BenchReport(
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                MachineInfo.describe(),
                settings(command, corpus),
                startup,
                results.throughput,
                results.latency,
                results.parity,
                options.runs(Section.EMBED) ? ratios(results) : Map.of(),
                new BenchReport.Memory(ProcessMemory.selfPeakRssBytes(), cli),
                options.sections(),
                export,
                neat,
                server,
                BenchReport.Spark.NONE);
    }

    /** The embedding contenders: startup, throughput, latency and parity. */
    private BenchReport.Startup embed(Catalog.Entry entry, Corpus corpus, Results results) throws IOException {
        boolean cached = Files.isRegularFile(cachedModelFile(entry));
        BenchReport.Startup startup =
                new BenchReport.Startup(openToFirstMillis(entry), openToFirstMillis(entry), cached);
        log.printf(
                "open -> first embedding: %.0f ms (first in process), %.0f ms (again)%n",
                startup.firstOpenMillis(), startup.secondOpenMillis());
        Path exported = BundledModels.resolve(entry).onnxFile();
        int threads = embedOptions.runtime().effectiveIntraOpThreads();
        int workers = ParallelBatches.workersFor(embedOptions.runtime(), Device.CPU);
        try (Embedder onyx = Embedder.open(ModelSource.parse(entry.name()), embedOptions);
                // the floor runs the graph Onyx runs (its fused copy when the rewrite applies); the exported file's
                // floor shows what the rewrite is worth
                Floor floor = Floor.open(Path.of(onyx.info().runtimeFile()), threads, workers);
                Floor floorExported = Floor.open(exported, threads, workers)) {
            log.printf(
                    "onyx runs %s: %s%n", onyx.info().runtimeFile(), onyx.info().graph());
            LangChain4jPeer peer = new LangChain4jPeer();
            throughput(corpus.texts(), onyx, floor, floorExported, peer, results);
            latency(onyx, floor, peer, results);
        }
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

    private static Path cachedModelFile(Catalog.Entry entry) {
        return OnyxCache.directory()
                .resolve("bundled")
                .resolve(entry.carrier().replace(':', '_'))
                .resolve(entry.onnxResource());
    }

    private BenchReport.Settings settings(String command, Corpus corpus) {
        return new BenchReport.Settings(
                command,
                options.model(),
                corpus.source(),
                corpus.sha256(),
                corpus.texts().size(),
                options.rounds(),
                options.latencyCalls(),
                LATENCY_TEXT,
                embedOptions.maxBatchSize(),
                embedOptions.maxBatchTokens(),
                embedOptions.runtime().effectiveIntraOpThreads());
    }

    private double openToFirstMillis(Catalog.Entry entry) throws IOException {
        quiet.settle();
        long start = System.nanoTime();
        try (Embedder embedder = Embedder.open(ModelSource.parse(entry.name()), embedOptions)) {
            embedder.embed(LATENCY_TEXT);
            return round((System.nanoTime() - start) / 1e6, 1);
        }
    }

    /** Mutable accumulators for one run. */
    private static final class Results {
        final List<BenchReport.Throughput> throughput = new ArrayList<>();
        final List<BenchReport.Latency> latency = new ArrayList<>();
        final List<BenchReport.Parity> parity = new ArrayList<>();
    }

    /** A contender's work on one chunk of the corpus: returns the chunk's vectors in order. */
    private interface Pass {
        float[][] run(int chunk);
    }

    private void throughput(
            List<String> texts, Embedder onyx, Floor floor, Floor floorExported, LangChain4jPeer peer, Results results)
            throws IOException {
        List<long[]> ids = texts.stream().map(onyx::tokenIds).toList();
        long onyxTokens = ids.stream().mapToLong(s -> s.length).sum();
        List<List<String>> textChunks = chunks(texts);
        List<List<long[]>> idChunks = chunks(ids);
        long[] peerTokens = new long[textChunks.size()];
        Map<String, Pass> passes = new LinkedHashMap<>();
        Map<String, float[][]> vectors = new LinkedHashMap<>();
        List<Floor.Prepared> prepared = new ArrayList<>();
        try (Embedder int8 = openInt8()) {
            for (List<long[]> chunk : idChunks) {
                prepared.add(floor.prepare(chunk, embedOptions.maxBatchSize(), embedOptions.maxBatchTokens()));
                prepared.add(floorExported.prepare(chunk, embedOptions.maxBatchSize(), embedOptions.maxBatchTokens()));
            }
            passes.put(ONYX, i -> onyx.embed(textChunks.get(i)).toArray());
            passes.put(FLOOR, i -> floor.run(prepared.get(2 * i)));
            passes.put(FLOOR_EXPORTED, i -> floorExported.run(prepared.get(2 * i + 1)));
            passes.put(LANGCHAIN4J, i -> {
                LangChain4jPeer.Result r = peer.embedAll(textChunks.get(i));
                peerTokens[i] = r.tokens();
                return r.vectors();
            });
            passes.put(INT8, i -> int8.embed(textChunks.get(i)).toArray());
            Map<String, List<Quiet.Timed<float[][]>>> timings = timePasses(passes, textChunks.size(), vectors);
            for (Map.Entry<String, List<Quiet.Timed<float[][]>>> e : timings.entrySet()) {
                long tokens = e.getKey().equals(LANGCHAIN4J)
                        ? LongStream.of(peerTokens).sum()
                        : onyxTokens;
                if (e.getKey().equals(INT8)) tokens = int8Tokens(int8, texts);
                results.throughput.add(throughputOf(e.getKey(), texts.size(), tokens, e.getValue()));
            }
        } finally {
            prepared.forEach(Floor.Prepared::close);
        }
        parity(ids, vectors, results);
    }

    /** The corpus in consecutive chunks of {@link #CHUNK} items (the last may be shorter). */
    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < items.size(); from += CHUNK) {
            out.add(items.subList(from, Math.min(items.size(), from + CHUNK)));
        }
        return out;
    }

    private static BenchReport.Throughput throughputOf(
            String name, int texts, long tokens, List<Quiet.Timed<float[][]>> t) {
        List<Double> seconds = t.stream().map(x -> round(x.seconds(), 3)).toList();
        // the fastest pass: noise from a shared host only ever adds time (passes of the same contender in one run
        // were seen 30 % apart with no other process in this machine), so the fastest is the closest estimate of the
        // contender's own cost; every pass is kept in the report
        double fastest = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return new BenchReport.Throughput(
                name,
                round(texts / fastest, 1),
                round(tokens / fastest, 0),
                tokens,
                seconds,
                t.stream().map(x -> round(x.otherCores(), 2)).toList());
    }

    /** Rounds to a number of decimals, so the JSON and the report show the same digits. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private Embedder openInt8() throws IOException {
        return Embedder.open(ModelSource.parse("all-minilm-l6-v2-q"), embedOptions);
    }

    private static long int8Tokens(Embedder int8, List<String> texts) {
        return texts.stream().mapToLong(t -> int8.tokenIds(t).length).sum();
    }

    /**
     * One untimed warm-up pass per contender (keeping its vectors), then timed rounds. In a round every contender
     * embeds every chunk, and the chunks are interleaved: chunk 1 for each contender, then chunk 2 (starting with the
     * next contender), and so on. A round's time for a contender is the sum of its chunk times, so a slow phase of the
     * host (seconds long) lands on all contenders alike instead of on one contender's whole pass.
     */
    private Map<String, List<Quiet.Timed<float[][]>>> timePasses(
            Map<String, Pass> passes, int chunks, Map<String, float[][]> vectors) {
        List<String> names = new ArrayList<>(passes.keySet());
        Map<String, List<Quiet.Timed<float[][]>>> timings = new LinkedHashMap<>();
        for (String name : names) {
            List<float[]> all = new ArrayList<>();
            for (int chunk = 0; chunk < chunks; chunk++)
                all.addAll(List.of(passes.get(name).run(chunk)));
            vectors.put(name, all.toArray(float[][]::new));
            timings.put(name, new ArrayList<>());
        }
        for (int round = 1; round <= options.rounds(); round++) {
            quiet.settle();
            double[] seconds = new double[names.size()];
            double[] otherCoreSeconds = new double[names.size()];
            for (int chunk = 0; chunk < chunks; chunk++) {
                for (int k = 0; k < names.size(); k++) {
                    int c = (chunk + k) % names.size();
                    Pass pass = passes.get(names.get(c));
                    int index = chunk;
                    CpuMonitor.Sample before = CpuMonitor.sample();
                    pass.run(index);
                    CpuMonitor.Sample after = CpuMonitor.sample();
                    double dt = (after.nanos() - before.nanos()) / 1e9;
                    seconds[c] += dt;
                    otherCoreSeconds[c] += CpuMonitor.othersCores(before, after) * dt;
                }
            }
            for (int c = 0; c < names.size(); c++) {
                double others = otherCoreSeconds[c] / seconds[c];
                timings.get(names.get(c)).add(new Quiet.Timed<>(seconds[c], others, null));
                log.printf(
                        "round %d %-14s %7.2f s  (other processes: %.2f cores)%n",
                        round, names.get(c), seconds[c], others);
            }
        }
        return timings;
    }

    private void parity(List<long[]> ids, Map<String, float[][]> vectors, Results results) {
        float[][] onyx = vectors.get(ONYX);
        results.parity.add(parity("floor vs onyx", vectors.get(FLOOR), onyx, ""));
        results.parity.add(parity(
                "floor-exported vs onyx",
                vectors.get(FLOOR_EXPORTED),
                onyx,
                "the ONNX file as exported against the graph Onyx runs (fused when the rewrite applies)"));
        double[] cos = Stats.cosines(vectors.get(LANGCHAIN4J), onyx);
        int over = 0;
        double minShort = 1;
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).length > 128) over++;
            else minShort = Math.min(minShort, cos[i]);
        }
        results.parity.add(new BenchReport.Parity(
                "langchain4j vs onyx",
                cos.length,
                round(Stats.min(cos), 6),
                round(Stats.mean(cos), 6),
                String.format(
                        "LangChain4j truncates at 128 tokens; %d of %d texts are longer; min cosine over the rest %.6f",
                        over, ids.size(), minShort)));
        results.parity.add(parity(
                "onyx-int8 vs onyx fp32",
                vectors.get(INT8),
                onyx,
                "int8 weights (dynamic quantization) against fp32; batched, so padding lengths differ"));
    }

    private static BenchReport.Parity parity(String name, float[][] a, float[][] b, String note) {
        double[] cos = Stats.cosines(a, b);
        return new BenchReport.Parity(name, cos.length, round(Stats.min(cos), 6), round(Stats.mean(cos), 6), note);
    }

    private void latency(Embedder onyx, Floor floor, LangChain4jPeer peer, Results results) {
        try (Floor.Prepared one = floor.prepare(List.of(onyx.tokenIds(LATENCY_TEXT)), 1, Integer.MAX_VALUE)) {
            Map<String, DoubleSupplier> calls = new LinkedHashMap<>();
            calls.put(ONYX, () -> onyx.embed(LATENCY_TEXT)[0]);
            calls.put(FLOOR, () -> floor.run(one)[0][0]);
            calls.put(LANGCHAIN4J, () -> peer.embed(LATENCY_TEXT)[0]);
            results.latency.addAll(latencies(calls));
        }
    }

    /**
     * Times {@code latencyCalls} calls of each contender, interleaved call by call (one of each in turn, never two at
     * once), so that a burst of load from elsewhere lands on all of them alike instead of on whichever block of calls
     * it happens to overlap.
     */
    private List<BenchReport.Latency> latencies(Map<String, DoubleSupplier> calls) {
        double[] sink = {0};
        for (DoubleSupplier call : calls.values()) {
            for (int i = 0; i < WARM_UP_CALLS; i++) sink[0] += call.getAsDouble();
        }
        List<DoubleSupplier> order = List.copyOf(calls.values());
        Quiet.Timed<double[][]> timed = quiet.time("latency", () -> {
            double[][] millis = new double[order.size()][options.latencyCalls()];
            for (int i = 0; i < options.latencyCalls(); i++) {
                for (int c = 0; c < order.size(); c++) {
                    long start = System.nanoTime();
                    sink[0] += order.get(c).getAsDouble();
                    millis[c][i] = (System.nanoTime() - start) / 1e6;
                }
            }
            return millis;
        });
        List<BenchReport.Latency> out = new ArrayList<>();
        int c = 0;
        for (String name : calls.keySet()) {
            double[] millis = timed.result()[c++];
            BenchReport.Latency latency = new BenchReport.Latency(
                    name,
                    millis.length,
                    round(Stats.percentile(millis, 50), 3),
                    round(Stats.percentile(millis, 95), 3),
                    round(Stats.percentile(millis, 99), 3),
                    round(Stats.mean(millis), 3),
                    round(timed.otherCores(), 2));
            log.printf(
                    "latency %-12s p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  (other processes: %.2f cores)%n",
                    name, latency.p50Millis(), latency.p95Millis(), latency.p99Millis(), timed.otherCores());
            out.add(latency);
        }
        log.printf("(latency checksum %.3f)%n", sink[0]);
        return out;
    }

    private static Map<String, Double> ratios(Results results) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        Map<String, Double> rate = new LinkedHashMap<>();
        results.throughput.forEach(t -> rate.put(t.name(), t.textsPerSecond()));
        Map<String, Double> p95 = new LinkedHashMap<>();
        results.latency.forEach(l -> p95.put(l.name(), l.p95Millis()));
        ratios.put("onyx / floor throughput", round(rate.get(ONYX) / rate.get(FLOOR), 3));
        ratios.put("onyx / langchain4j throughput", round(rate.get(ONYX) / rate.get(LANGCHAIN4J), 3));
        ratios.put("floor / floor-exported throughput", round(rate.get(FLOOR) / rate.get(FLOOR_EXPORTED), 3));
        ratios.put(
                "floor-exported / langchain4j throughput", round(rate.get(FLOOR_EXPORTED) / rate.get(LANGCHAIN4J), 3));
        ratios.put("onyx-int8 / onyx throughput", round(rate.get(INT8) / rate.get(ONYX), 3));
        ratios.put("onyx p95 / floor p95 latency", round(p95.get(ONYX) / p95.get(FLOOR), 3));
        ratios.put("onyx p95 / langchain4j p95 latency", round(p95.get(ONYX) / p95.get(LANGCHAIN4J), 3));
        return ratios;
    }
}
