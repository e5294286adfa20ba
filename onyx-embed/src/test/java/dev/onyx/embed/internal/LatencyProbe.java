package dev.onyx.embed.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A hand-run latency probe, not a test: {@code Embedder.embed} against a plain ONNX Runtime program (its own DJL
 * tokenizer, its own tensors, mean pooling, 2 intra-op threads), call by call in one process with the order rotating
 * every call, so that host noise hits every contender alike. Prints p50 / p95 / p99 per contender and the ratios.
 *
 * <pre>
 * java -cp ... dev.onyx.embed.internal.LatencyProbe TEXT_FILE [calls] [textsPerCall] [onyx-variant ...]
 * </pre>
 *
 * Onyx variants: {@code default}, {@code nospin}, {@code nofusion}.
 */
public final class LatencyProbe {
    private LatencyProbe() {}

    /** {@code -Donyx.probe.sched=true}: per-call scheduler figures of all threads (reads /proc between calls). */
    private static final boolean SCHED = Boolean.getBoolean("onyx.probe.sched");

    interface Contender extends AutoCloseable {
        String name();

        float[][] embed(List<String> texts) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    public static void main(String[] args) throws Exception {
        List<String> texts = Files.readAllLines(Path.of(args[0])).stream()
                .filter(l -> !l.isBlank())
                .toList();
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int perCall = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<String> variants = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("default");
        ModelDescriptor descriptor =
                BundledModels.resolve(Catalog.find(ModelSource.DEFAULT_MODEL).orElseThrow());
        List<Contender> contenders = new ArrayList<>();
        String fused = null;
        for (String variant : variants) {
            EmbedOptions options = switch (variant) {
                case "default" -> EmbedOptions.defaults();
                case "nospin" ->
                    EmbedOptions.defaults()
                            .withRuntime(EmbedOptions.defaults().runtime().withSpinWait(false));
                case "nofusion" -> EmbedOptions.defaults().withGraphFusion(false);
                case "rust" -> EmbedOptions.defaults();
                case "nowarm" -> EmbedOptions.defaults().withWarmUp(false);
                default -> throw new IllegalArgumentException(variant);
            };
            if (variant.equals("rust")) System.setProperty("onyx.tokenizer.rustOnly", "true");
            Embedder embedder = Embedder.open(ModelSource.defaultModel(), options);
            System.clearProperty("onyx.tokenizer.rustOnly");
            fused = fused == null ? embedder.info().runtimeFile() : fused;
            int preTokenize = Integer.getInteger("onyx.probe.preTokenize", 0);
            for (int i = 0; i < preTokenize; i++) embedder.tokenIds(texts.get(i % texts.size()));
            if (contenders.isEmpty()) {
                contenders.add(new Contender() {
                    public String name() {
                        return "onyx-tokenize";
                    }

                    public float[][] embed(List<String> t) {
                        float[][] out = new float[t.size()][];
                        for (int i = 0; i < t.size(); i++) out[i] = new float[(int) embedder.tokenIds(t.get(i)).length];
                        return out;
                    }
                });
            }
            contenders.add(new Contender() {
                public String name() {
                    return "onyx-" + variant;
                }

                public float[][] embed(List<String> t) {
                    if (t.size() == 1) return new float[][] {embedder.embed(t.get(0))};
                    return embedder.embed(t).toArray();
                }

                public void close() {
                    embedder.close();
                }
            });
        }
        Path tokenizerFile = descriptor.tokenizerFile();
        if (tokenizerFile == null) {
            tokenizerFile = Files.createTempFile("probe-tokenizer", ".json");
            tokenizerFile.toFile().deleteOnExit();
            try (var in = LatencyProbe.class.getClassLoader().getResourceAsStream(descriptor.tokenizerResource())) {
                Files.write(tokenizerFile, in.readAllBytes());
            }
        }
        contenders.add(new PlainOrt("ort-exported", descriptor.onnxFile(), tokenizerFile));
        contenders.add(new PlainOrt("ort-fused", Path.of(fused), tokenizerFile));
        for (String v : System.getProperty("onyx.probe.ortVariants", "").split(",")) {
            if (!v.isBlank()) contenders.add(new PlainOrt("ort-fused-" + v, Path.of(fused), tokenizerFile, v));
        }
        String only = System.getProperty("onyx.probe.only");
        if (only != null) contenders.removeIf(c -> !c.name().equals(only));
        int n = contenders.size();
        long[][] nanos = new long[n][calls];
        long[][] cpu = new long[n][calls];
        long[][] sched = new long[n][4]; // run ns, runqueue wait ns, voluntary, involuntary switches (all threads)
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] gcBefore = gc();
        int warm = Integer.getInteger("onyx.probe.warmUp", 200);
        long compileBefore = 0;
        for (int c = -warm; c < calls; c++) {
            List<String> call = new ArrayList<>(perCall);
            for (int k = 0; k < perCall; k++) call.add(texts.get(Math.floorMod(c * perCall + k, texts.size())));
            for (int k = 0; k < n; k++) {
                int who = Math.floorMod(c + k, n); // rotate who goes first
                long[] s0 = c >= 0 && SCHED ? threads() : null;
                long cpuStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                float[][] v = contenders.get(who).embed(call);
                long took = System.nanoTime() - start;
                long cpuTook = os.getProcessCpuTime() - cpuStart;
                if (s0 != null) {
                    long[] s1 = threads();
                    for (int q = 0; q < 4; q++) sched[who][q] += s1[q] - s0[q];
                }
                if (v.length != perCall) throw new IllegalStateException();
                if (c >= 0) {
                    nanos[who][c] = took;
                    cpu[who][c] = cpuTook;
                }
            }
            if (c == -1) {
                gcBefore = gc();
                System.out.println("=== TIMED ===");
                compileBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            }
        }
        long[] gcAfter = gc();
        System.out.printf(
                "JIT compile ms during timed calls: %d%n",
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compileBefore);
        System.out.printf(
                "%d calls x %d texts, gc %d collections %d ms%n",
                calls, perCall, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
        for (int k = 0; k < n; k++) {
            System.out.printf(
                    "%-16s per call: all threads run %.3f ms, runqueue wait %.3f ms, voluntary %.2f, involuntary %.2f%n",
                    contenders.get(k).name(),
                    sched[k][0] / 1e6 / calls,
                    sched[k][1] / 1e6 / calls,
                    sched[k][2] / (double) calls,
                    sched[k][3] / (double) calls);
        }
        double[][] q = new double[n][];
        for (int k = 0; k < n; k++) {
            long[] sorted = nanos[k].clone();
            Arrays.sort(sorted);
            q[k] = new double[] {pct(sorted, 0.5), pct(sorted, 0.95), pct(sorted, 0.99)};
            long[] cpuSorted = cpu[k].clone();
            Arrays.sort(cpuSorted);
            System.out.printf(
                    "%-16s p10 %6.2f p25 %6.2f p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  min %6.2f ms | cpu p50 %6.2f ms mean %6.2f ms%n",
                    contenders.get(k).name(),
                    pct(sorted, 0.10),
                    pct(sorted, 0.25),
                    q[k][0],
                    q[k][1],
                    q[k][2],
                    sorted[0] / 1e6,
                    pct(cpuSorted, 0.5),
                    Arrays.stream(cpuSorted).average().orElse(0) / 1e6);
        }
        int floor = n - 2;
        for (int k = 1; only == null && k < n - 2; k++) {
            System.out.printf(
                    "%-16s / ort-exported p50 %.2f p95 %.2f | / ort-fused p50 %.2f p95 %.2f%n",
                    contenders.get(k).name(),
                    q[k][0] / q[floor][0],
                    q[k][1] / q[floor][1],
                    q[k][0] / q[floor + 1][0],
                    q[k][1] / q[floor + 1][1]);
        }
        for (Contender c : contenders) c.close();
    }

    private static double pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] / 1e6;
    }

    /** Sums over this process's threads: run ns, runqueue wait ns, voluntary and involuntary context switches. */
    private static long[] threads() {
        long[] sum = new long[4];
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) return sum;
        for (java.io.File t : tasks) {
            try {
                String[] st =
                        Files.readString(t.toPath().resolve("schedstat")).trim().split(" ");
                sum[0] += Long.parseLong(st[0]);
                sum[1] += Long.parseLong(st[1]);
                for (String line : Files.readAllLines(t.toPath().resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:"))
                        sum[2] += Long.parseLong(line.substring(24).trim());
                    if (line.startsWith("nonvoluntary_ctxt_switches:"))
                        sum[3] += Long.parseLong(line.substring(27).trim());
                }
            } catch (java.io.IOException | RuntimeException e) {
                // a thread that ended
            }
        }
        return sum;
    }

    private static long[] gc() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += b.getCollectionCount();
            ms += b.getCollectionTime();
        }
        return new long[] {count, ms};
    }

    /** What a user of raw ONNX Runtime writes: DJL tokenizer, padded long tensors, session.run, mean pooling. */
    static final class PlainOrt implements Contender {
        private final String name;
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final HuggingFaceTokenizer tokenizer;
        private final boolean tokenTypes;

        PlainOrt(String name, Path onnx, Path tokenizerFile) throws Exception {
            this(name, onnx, tokenizerFile, "");
        }

        PlainOrt(String name, Path onnx, Path tokenizerFile, String variant) throws Exception {
            this.name = name;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(2);
                if (variant.contains("init"))
                    options.addConfigEntry("session.use_device_allocator_for_initializers", "1");
                if (variant.contains("inter")) {
                    options.setInterOpNumThreads(1);
                    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                }
                if (variant.contains("arena")) options.setCPUArenaAllocator(true);
                if (variant.contains("log"))
                    options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = env.createSession(onnx.toString(), options);
            }
            tokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerFile, Map.of("padding", "false", "truncation", "true", "maxLength", "256"));
            tokenTypes = session.getInputNames().contains("token_type_ids");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public float[][] embed(List<String> texts) throws OrtException {
            Encoding[] enc = tokenizer.batchEncode(texts);
            int rows = enc.length;
            int seq = 0;
            for (Encoding e : enc) seq = Math.max(seq, e.getIds().length);
            long[][] ids = new long[rows][seq];
            long[][] mask = new long[rows][seq];
            for (int r = 0; r < rows; r++) {
                long[] x = enc[r].getIds();
                System.arraycopy(x, 0, ids[r], 0, x.length);
                Arrays.fill(mask[r], 0, x.length, 1L);
            }
            try (OnnxTensor idT = OnnxTensor.createTensor(env, ids);
                    OnnxTensor maskT = OnnxTensor.createTensor(env, mask);
                    OnnxTensor typeT = OnnxTensor.createTensor(env, new long[rows][seq])) {
                Map<String, OnnxTensor> feeds = tokenTypes
                        ? Map.of("input_ids", idT, "attention_mask", maskT, "token_type_ids", typeT)
                        : Map.of("input_ids", idT, "attention_mask", maskT);
                try (OrtSession.Result result = session.run(feeds)) {
                    float[][][] hidden = (float[][][]) result.get(0).getValue();
                    float[][] out = new float[rows][];
                    for (int r = 0; r < rows; r++) {
                        int dim = hidden[r][0].length;
                        float[] v = new float[dim];
                        int count = 0;
                        for (int t = 0; t < seq; t++) {
                            if (mask[r][t] == 0) continue;
                            count++;
                            for (int d = 0; d < dim; d++) v[d] += hidden[r][t][d];
                        }
                        double norm = 0;
                        for (int d = 0; d < dim; d++) {
                            v[d] /= count;
                            norm += v[d] * v[d];
                        }
                        float inv = (float) (1 / Math.sqrt(norm));
                        for (int d = 0; d < dim; d++) v[d] *= inv;
                        out[r] = v;
                    }
                    return out;
                }
            }
        }

        @Override
        public void close() throws OrtException {
            tokenizer.close();
            session.close();
        }
    }
}
