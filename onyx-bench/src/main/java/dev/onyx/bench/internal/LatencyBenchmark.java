package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.Latency;
import dev.onyx.bench.BenchReport.ProcessLatency;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Call latency of the {@link Contenders#LATENCY} contenders, for one text per call and for {@code batchTexts} texts per
 * call: first all in this process with rotating order ({@link Contenders#rotate}), then, when {@code soloProcesses > 0},
 * each alone in child JVMs of its own with the same texts and warm-up ({@code batch} holds the texts of each multi-text
 * call): {@code soloProcesses} rounds, one process per contender each, contender {@code r mod n} first in round
 * {@code r} (floor, onyx, … alternate, so a slow phase of the host falls on all). A solo entry's percentiles are the
 * medians of its processes' own, which it lists: one process's tail (its threads' placement, a burst on the host)
 * cannot decide a ratio. In both modes each call starts {@code gapMillis} after the one before returned (0: back to
 * back). Not thread-safe; one run each.
 */
public final class LatencyBenchmark {
    public static final String ROTATED = "rotated";
    public static final String SOLO = "solo";

    private final ModelFiles files;
    private final int floorBatch;
    private final int floorThreads;
    private final int warmUp;
    private final String singleText;
    private final int singleCalls;
    private final List<String> batch;
    private final int batchCalls;
    private final int soloProcesses;
    private final int gapMillis;
    private final Quiet quiet;
    private final PrintStream log;

    public LatencyBenchmark(
            ModelFiles files,
            int floorBatch,
            int floorThreads,
            int warmUp,
            String singleText,
            int singleCalls,
            List<String> batch,
            int batchCalls,
            int soloProcesses,
            int gapMillis,
            Quiet quiet,
            PrintStream log) {
        this.files = files;
        this.floorBatch = floorBatch;
        this.floorThreads = floorThreads;
        this.warmUp = warmUp;
        this.singleText = singleText;
        this.singleCalls = singleCalls;
        this.batch = batch;
        this.batchCalls = batchCalls;
        if (soloProcesses < 0) throw new IllegalArgumentException("soloProcesses < 0: " + soloProcesses);
        this.soloProcesses = soloProcesses;
        if (gapMillis < 0) throw new IllegalArgumentException("gapMillis < 0: " + gapMillis);
        this.gapMillis = gapMillis;
        this.quiet = quiet;
        this.log = log;
    }

    /** Runs every measurement; entries ordered by call size, then mode, then contender. */
    public List<Latency> run() throws IOException {
        List<Latency> rotated = new ArrayList<>();
        try (Contenders all = Contenders.open(Contenders.LATENCY, files, floorBatch, floorThreads)) {
            rotated.addAll(rotated(all.single(singleText), 1, singleCalls));
            rotated.addAll(rotated(all.batch(batch), batch.size(), batchCalls));
        }
        List<Latency> alone = new ArrayList<>();
        if (soloProcesses > 0) {
            List<String> names = Contenders.LATENCY;
            Map<String, List<ProcessLatency>> single = new LinkedHashMap<>();
            Map<String, List<ProcessLatency>> many = new LinkedHashMap<>();
            for (String name : names) {
                single.put(name, new ArrayList<>());
                many.put(name, new ArrayList<>());
            }
            for (int round = 0; round < soloProcesses; round++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((round + k) % names.size());
                    quiet.settle();
                    ChildProcess.Result r = ChildProcess.run(
                            new ChildProcess.Request(
                                    "solo",
                                    files,
                                    name,
                                    floorBatch,
                                    floorThreads,
                                    warmUp,
                                    singleText,
                                    singleCalls,
                                    batch,
                                    batchCalls,
                                    gapMillis),
                            log);
                    single.get(name).add(process(name, round, 1, r.singleMillis(), r.singleOtherCores()));
                    many.get(name).add(process(name, round, batch.size(), r.batchMillis(), r.batchOtherCores()));
                }
            }
            for (String name : names) {
                alone.add(median(name, 1, singleCalls, single.get(name)));
                alone.add(median(name, batch.size(), batchCalls, many.get(name)));
            }
        }
        List<Latency> out = new ArrayList<>();
        for (int size : List.of(1, batch.size())) {
            for (List<Latency> mode : List.of(rotated, alone)) {
                mode.stream().filter(l -> l.textsPerCall() == size).forEach(out::add);
            }
        }
        return List.copyOf(out);
    }

    private List<Latency> rotated(Map<String, DoubleSupplier> calls, int textsPerCall, int n) {
        quiet.settle();
        double[] sink = {0};
        CpuMonitor.Sample before = CpuMonitor.sample();
        double[][] millis = Contenders.rotate(List.copyOf(calls.values()), warmUp, n, gapMillis, sink);
        double others = CpuMonitor.othersCores(before, CpuMonitor.sample());
        log.printf("(latency checksum %.3f)%n", sink[0]);
        List<Latency> out = new ArrayList<>();
        int c = 0;
        for (String name : calls.keySet()) {
            out.add(latency(name, ROTATED, textsPerCall, millis[c++], others));
        }
        return out;
    }

    private Latency latency(String name, String mode, int textsPerCall, double[] millis, double otherCores) {
        ProcessLatency p = percentiles(millis, otherCores);
        Latency l = new Latency(
                name,
                mode,
                textsPerCall,
                millis.length,
                p.p50Millis(),
                p.p95Millis(),
                p.p99Millis(),
                p.meanMillis(),
                p.otherCores(),
                List.of());
        log.printf(
                "latency %-12s %-7s %2d text(s)  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  (other processes: %.2f cores)%n",
                name, mode, textsPerCall, l.p50Millis(), l.p95Millis(), l.p99Millis(), otherCores);
        return l;
    }

    private ProcessLatency process(String name, int round, int textsPerCall, double[] millis, double otherCores) {
        ProcessLatency p = percentiles(millis, otherCores);
        log.printf(
                "latency %-12s solo %d  %2d text(s)  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  (other processes: %.2f"
                        + " cores)%n",
                name, round + 1, textsPerCall, p.p50Millis(), p.p95Millis(), p.p99Millis(), otherCores);
        return p;
    }

    private static ProcessLatency percentiles(double[] millis, double otherCores) {
        return new ProcessLatency(
                Stats.round(Stats.percentile(millis, 50), 3),
                Stats.round(Stats.percentile(millis, 95), 3),
                Stats.round(Stats.percentile(millis, 99), 3),
                Stats.round(Stats.mean(millis), 3),
                Stats.round(otherCores, 2));
    }

    /** The solo entry of one contender: the median of each figure over its processes, which it keeps. */
    static Latency median(String name, int textsPerCall, int calls, List<ProcessLatency> processes) {
        return new Latency(
                name,
                SOLO,
                textsPerCall,
                calls,
                median(processes, ProcessLatency::p50Millis),
                median(processes, ProcessLatency::p95Millis),
                median(processes, ProcessLatency::p99Millis),
                median(processes, ProcessLatency::meanMillis),
                processes.stream().mapToDouble(ProcessLatency::otherCores).max().orElse(0),
                processes);
    }

    private static double median(List<ProcessLatency> processes, ToDoubleFunction<ProcessLatency> figure) {
        return Stats.round(
                Stats.median(processes.stream().map(figure::applyAsDouble).toList()), 3);
    }
}
