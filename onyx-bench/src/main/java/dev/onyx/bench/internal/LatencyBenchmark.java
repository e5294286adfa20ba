package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.Latency;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Call latency of the {@link Contenders#LATENCY} contenders, for one text per call and for {@code batchTexts} texts per
 * call: first all in this process with rotating order ({@link Contenders#rotate}), then, when {@code solo}, each alone in
 * its own child JVM with the same texts and warm-up ({@code batch} holds the texts of each multi-text call). Not
 * thread-safe; one run each.
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
    private final boolean solo;
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
            boolean solo,
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
        this.solo = solo;
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
        if (solo) {
            for (String name : Contenders.LATENCY) {
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
                                batchCalls),
                        log);
                alone.add(latency(name, SOLO, 1, r.singleMillis(), r.singleOtherCores()));
                alone.add(latency(name, SOLO, batch.size(), r.batchMillis(), r.batchOtherCores()));
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
        double[][] millis = Contenders.rotate(List.copyOf(calls.values()), warmUp, n, sink);
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
        Latency l = new Latency(
                name,
                mode,
                textsPerCall,
                millis.length,
                Stats.round(Stats.percentile(millis, 50), 3),
                Stats.round(Stats.percentile(millis, 95), 3),
                Stats.round(Stats.percentile(millis, 99), 3),
                Stats.round(Stats.mean(millis), 3),
                Stats.round(otherCores, 2));
        log.printf(
                "latency %-12s %-7s %2d text(s)  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  (other processes: %.2f cores)%n",
                name, mode, textsPerCall, l.p50Millis(), l.p95Millis(), l.p99Millis(), otherCores);
        return l;
    }
}
