package dev.onyx.bench.internal;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.onyx.bench.BenchReport;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.langchain4j.OnyxEmbeddingModel;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput over a corpus of Onyx ({@code Embedder.embed(texts)}, default options), the floor program on the file as
 * exported and on Onyx's fused copy (pre-tokenized by its own tokenizer), LangChain4j ({@code embedAll}) and, when the
 * catalog has one, Onyx on the model's int8 variant, and Onyx on its own int8 copy of the model (quantized through
 * Onyx's cache before any timing); and the cosine agreement of their vectors. Contenders run one
 * after another, never two at once: an untimed pass each, then timed rounds in which every contender embeds every
 * chunk, chunk by chunk, the first contender of each chunk rotating. Not thread-safe; one run each.
 */
public final class ThroughputBenchmark {
    public static final String INT8 = "onyx-int8";
    /** Onyx on its own static int8 copy of the model ({@code MODEL?quantize=int8}, made once through the cache). */
    public static final String INT8_OWN = "onyx-int8-own";
    /** Onyx behind LangChain4j's interface: {@code OnyxEmbeddingModel.embedAll} on its own embedder. */
    public static final String ADAPTER = "onyx-langchain4j";

    private final ModelFiles files;
    private final int floorBatch;
    private final int floorThreads;
    private final int rounds;
    private final int chunk;
    private final Quiet quiet;
    private final PrintStream log;

    /** What a run measured. */
    public record Result(List<BenchReport.Throughput> throughput, List<BenchReport.Parity> parity, String int8Model) {}

    public ThroughputBenchmark(
            ModelFiles files, int floorBatch, int floorThreads, int rounds, int chunk, Quiet quiet, PrintStream log) {
        this.files = files;
        this.floorBatch = floorBatch;
        this.floorThreads = floorThreads;
        this.rounds = rounds;
        this.chunk = chunk;
        this.quiet = quiet;
        this.log = log;
    }

    /** A contender's work on one chunk of the corpus: returns the chunk's vectors in order. */
    private interface Pass {
        float[][] run(int chunk);
    }

    public Result run(List<String> texts) throws IOException {
        List<List<String>> textChunks = chunks(texts);
        String int8Name = int8Model(files.model());
        Map<String, Pass> passes = new LinkedHashMap<>();
        Map<String, Long> tokens = new LinkedHashMap<>();
        long[] peerTokens = new long[textChunks.size()];
        try (Embedder onyx = Embedder.open(ModelSource.parse(files.model()));
                Floor floor = files.openFloor(false, floorBatch, floorThreads);
                Floor fused = files.openFloor(true, floorBatch, floorThreads);
                Embedder int8 = int8Name.isEmpty()
                        ? null
                        : Embedder.open(ModelSource.parse(int8Name), EmbedOptions.defaults());
                Embedder own = openOwnInt8();
                OnyxEmbeddingModel adapter =
                        OnyxEmbeddingModel.builder().model(files.model()).build()) {
            log.printf(
                    "onyx runs %s: %s%n", onyx.info().runtimeFile(), onyx.info().graph());
            LangChain4jPeer peer = new LangChain4jPeer();
            // the floor's tokenizer output is precomputed, outside the timed path
            List<List<long[]>> floorIds =
                    textChunks.stream().map(floor::tokenize).toList();
            passes.put(Contenders.ONYX, i -> onyx.embed(textChunks.get(i)).toArray());
            passes.put(Contenders.FLOOR, i -> floor.embedIds(floorIds.get(i)));
            passes.put(Contenders.FLOOR_FUSED, i -> fused.embedIds(floorIds.get(i)));
            passes.put(Contenders.LANGCHAIN4J, i -> {
                LangChain4jPeer.Result r = peer.embedAll(textChunks.get(i));
                peerTokens[i] = r.tokens();
                return r.vectors();
            });
            if (int8 != null)
                passes.put(INT8, i -> int8.embed(textChunks.get(i)).toArray());
            if (own != null)
                passes.put(INT8_OWN, i -> own.embed(textChunks.get(i)).toArray());
            long[] adapterTokens = new long[textChunks.size()];
            passes.put(ADAPTER, i -> {
                Response<List<Embedding>> r = adapter.embedAll(
                        textChunks.get(i).stream().map(TextSegment::from).toList());
                adapterTokens[i] = r.tokenUsage().inputTokenCount();
                return r.content().stream().map(Embedding::vector).toArray(float[][]::new);
            });
            long onyxTokens =
                    texts.stream().mapToLong(t -> onyx.tokenIds(t).length).sum();
            long floorTokens = floorIds.stream()
                    .flatMap(List::stream)
                    .mapToLong(ids -> ids.length)
                    .sum();
            tokens.put(Contenders.ONYX, onyxTokens);
            tokens.put(Contenders.FLOOR, floorTokens);
            tokens.put(Contenders.FLOOR_FUSED, floorTokens);
            if (int8 != null)
                tokens.put(
                        INT8,
                        texts.stream().mapToLong(t -> int8.tokenIds(t).length).sum());
            if (own != null)
                tokens.put(
                        INT8_OWN,
                        texts.stream().mapToLong(t -> own.tokenIds(t).length).sum());
            Map<String, float[][]> vectors = new LinkedHashMap<>();
            Map<String, List<Quiet.Timed<Void>>> timings = timePasses(passes, textChunks.size(), vectors);
            tokens.put(ADAPTER, java.util.stream.LongStream.of(adapterTokens).sum());
            tokens.put(
                    Contenders.LANGCHAIN4J,
                    java.util.stream.LongStream.of(peerTokens).sum());
            List<BenchReport.Throughput> throughput = new ArrayList<>();
            timings.forEach((name, t) -> throughput.add(throughputOf(name, texts.size(), tokens.get(name), t)));
            List<long[]> onyxIds = texts.stream().map(onyx::tokenIds).toList();
            return new Result(throughput, parity(onyxIds, vectors, int8Name), int8Name);
        }
    }

    /**
     * Onyx's own int8 copy of the model, quantized (or found) in Onyx's cache here, outside every timed pass; null when
     * the model is int8 already or cannot be quantized (the reason is logged, and the report has no such contender).
     */
    private Embedder openOwnInt8() throws IOException {
        if (files.model().endsWith("-q")) return null;
        long start = System.nanoTime();
        try {
            Embedder e = Embedder.open(ModelSource.parse(files.model() + ModelSource.QUANTIZE_SUFFIX + "int8"));
            log.printf(
                    "%s: Onyx's int8 copy of %s ready in %.1f s (quantized now, or found in the cache)%n",
                    INT8_OWN, files.model(), (System.nanoTime() - start) / 1e9);
            return e;
        } catch (RuntimeException e) {
            log.printf("%s: not run, the model could not be quantized: %s%n", INT8_OWN, e.getMessage());
            return null;
        }
    }

    /** The catalog's int8 variant of a model ({@code NAME-q}), or empty when there is none. */
    static String int8Model(String model) {
        if (model.endsWith("-q")) return "";
        try {
            return ModelSource.parse(model + "-q") instanceof ModelSource.Bundled b ? b.name() : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < items.size(); from += chunk) {
            out.add(items.subList(from, Math.min(items.size(), from + chunk)));
        }
        return out;
    }

    private static BenchReport.Throughput throughputOf(String name, int texts, long tokens, List<Quiet.Timed<Void>> t) {
        List<Double> seconds = t.stream().map(x -> Stats.round(x.seconds(), 3)).toList();
        // the fastest round: noise from a shared host only ever adds time; every round is kept in the report
        double fastest = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return new BenchReport.Throughput(
                name,
                Stats.round(texts / fastest, 1),
                Stats.round(tokens / fastest, 0),
                tokens,
                seconds,
                t.stream().map(x -> Stats.round(x.otherCores(), 2)).toList());
    }

    /**
     * One untimed pass per contender (keeping its vectors), then timed rounds, interleaved chunk by chunk: chunk 1 for
     * each contender, then chunk 2 starting with the next contender, and so on. A contender's round time is the sum of
     * its chunk times.
     */
    private Map<String, List<Quiet.Timed<Void>>> timePasses(
            Map<String, Pass> passes, int chunks, Map<String, float[][]> vectors) {
        List<String> names = new ArrayList<>(passes.keySet());
        Map<String, List<Quiet.Timed<Void>>> timings = new LinkedHashMap<>();
        for (String name : names) {
            List<float[]> all = new ArrayList<>();
            for (int c = 0; c < chunks; c++) all.addAll(List.of(passes.get(name).run(c)));
            vectors.put(name, all.toArray(float[][]::new));
            timings.put(name, new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
            quiet.settle();
            double[] seconds = new double[names.size()];
            double[] otherCoreSeconds = new double[names.size()];
            for (int c = 0; c < chunks; c++) {
                for (int k = 0; k < names.size(); k++) {
                    int who = (c + round - 1 + k) % names.size();
                    CpuMonitor.Sample before = CpuMonitor.sample();
                    passes.get(names.get(who)).run(c);
                    CpuMonitor.Sample after = CpuMonitor.sample();
                    double dt = (after.nanos() - before.nanos()) / 1e9;
                    seconds[who] += dt;
                    otherCoreSeconds[who] += CpuMonitor.othersCores(before, after) * dt;
                }
            }
            for (int w = 0; w < names.size(); w++) {
                double others = otherCoreSeconds[w] / seconds[w];
                timings.get(names.get(w)).add(new Quiet.Timed<>(seconds[w], others, null));
                log.printf(
                        "round %d %-14s %7.2f s  (other processes: %.2f cores)%n",
                        round, names.get(w), seconds[w], others);
            }
        }
        return timings;
    }

    private List<BenchReport.Parity> parity(List<long[]> onyxIds, Map<String, float[][]> vectors, String int8Name) {
        float[][] onyx = vectors.get(Contenders.ONYX);
        List<BenchReport.Parity> out = new ArrayList<>();
        String truncation = truncationNote(onyxIds, files.maxTokens(), vectors.get(Contenders.FLOOR), onyx, "floor");
        out.add(parity("floor vs onyx", vectors.get(Contenders.FLOOR), onyx, "file as exported; " + truncation));
        out.add(parity(
                "floor-fused vs onyx",
                vectors.get(Contenders.FLOOR_FUSED),
                onyx,
                "Onyx's fused copy; "
                        + truncationNote(
                                onyxIds, files.maxTokens(), vectors.get(Contenders.FLOOR_FUSED), onyx, "floor")));
        out.add(parity(
                "langchain4j vs onyx",
                vectors.get(Contenders.LANGCHAIN4J),
                onyx,
                truncationNote(
                        onyxIds,
                        LangChain4jPeer.MAX_TOKENS,
                        vectors.get(Contenders.LANGCHAIN4J),
                        onyx,
                        "LangChain4j")));
        if (vectors.containsKey(INT8_OWN)) {
            out.add(parity(
                    "onyx-int8-own vs onyx fp32",
                    vectors.get(INT8_OWN),
                    onyx,
                    "Onyx on its own int8 copy (" + files.model() + "?quantize=int8) against Onyx on "
                            + files.model()));
        }
        if (!int8Name.isEmpty()) {
            out.add(parity(
                    "onyx-int8 vs onyx fp32",
                    vectors.get(INT8),
                    onyx,
                    "Onyx on " + int8Name + " against Onyx on " + files.model()));
        }
        return out;
    }

    /** How many texts are longer than a contender's truncation, and the minimum cosine over the rest. */
    static String truncationNote(List<long[]> ids, int maxTokens, float[][] a, float[][] onyx, String who) {
        double[] cos = Stats.cosines(a, onyx);
        int over = 0;
        double minShort = 1;
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).length > maxTokens) over++;
            else minShort = Math.min(minShort, cos[i]);
        }
        return String.format(
                "%s truncates at %d tokens; %d of %d texts are longer (Onyx's count); min cosine over the rest %.6f",
                who, maxTokens, over, ids.size(), minShort);
    }

    private static BenchReport.Parity parity(String name, float[][] a, float[][] b, String note) {
        double[] cos = Stats.cosines(a, b);
        return new BenchReport.Parity(
                name, cos.length, Stats.round(Stats.min(cos), 6), Stats.round(Stats.mean(cos), 6), note);
    }
}
