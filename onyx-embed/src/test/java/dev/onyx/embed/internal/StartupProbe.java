package dev.onyx.embed.internal;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * A hand-run probe, not a test: where the time of the first {@code Embedder.open} → first embedding goes in a fresh
 * JVM. Mode {@code open} times the real call (as the benchmark does); mode {@code phases} runs the same steps one after
 * another (no overlap) and prints each.
 *
 * <pre>
 * java -cp ... dev.onyx.embed.internal.StartupProbe open|phases [model]
 * </pre>
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "open";
        String model = args.length > 1 ? args[1] : ModelSource.DEFAULT_MODEL;
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        if (mode.equals("open")) {
            try (Embedder e = Embedder.open(ModelSource.parse(model))) {
                long opened = System.nanoTime();
                e.embed("The progress of public credit is witnessed by a considerable rise of stock.");
                long end = System.nanoTime();
                System.out.printf(
                        "%s jvm uptime before %d ms | open %.1f ms | first embed %.1f ms | total %.1f ms | cpu %.1f ms%n",
                        args[0],
                        jvm,
                        ms(opened - t0),
                        ms(end - opened),
                        ms(end - t0),
                        ms(OS.getProcessCpuTime() - cpu));
            }
            return;
        }
        long t = System.nanoTime();
        ModelDescriptor d = ModelSources.resolve(ModelSource.parse(model));
        t = lap("resolve", t);
        HfTokenizer tokenizer = HfTokenizer.load(d);
        t = lap("tokenizer load", t);
        RuntimeOptions runtime = EmbedOptions.defaults().runtime();
        OnnxModel.availableDevices();
        t = lap("ORT native + environment", t);
        String key = FusedModels.key(d.onnxFile(), CacheDirectoryHolder.fused());
        t = lap("fused key " + key, t);
        FusedModels.Loaded loaded = FusedModels.load(d.onnxFile(), runtime, true);
        t = lap("session (" + loaded.graph() + ")", t);
        InferenceEngine engine = new InferenceEngine(loaded.model(), dev.onyx.embed.Pooling.MEAN, "probe");
        long[] ids = tokenizer
                .encode(List.of("The progress of public credit is witnessed by a considerable rise."))
                .get(0)
                .ids();
        t = lap("tokenize one", t);
        engine.runBatch(List.of(ids), new int[] {0});
        t = lap("first run", t);
        engine.runBatch(List.of(ids), new int[] {0});
        t = lap("second run", t);
        loaded.model().close();
        tokenizer.close();
        System.out.printf("total %.1f ms (jvm uptime before %d ms)%n", ms(System.nanoTime() - t0), jvm);
    }

    private static final class CacheDirectoryHolder {
        static Path fused() {
            return OnyxCache.directory().resolve("fused");
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static long cpu = OS.getProcessCpuTime();

    private static long lap(String what, long since) {
        long now = System.nanoTime();
        long c = OS.getProcessCpuTime();
        System.out.printf("%-60s %8.1f ms  cpu %8.1f ms%n", what, ms(now - since), ms(c - cpu));
        cpu = c;
        return now;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
