package dev.onyx.bench.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Measurements that need a process of their own: one latency contender alone, and the cost of the first
 * {@code Embedder.open} in a fresh JVM. The benchmark starts this class's {@link #main} in a child JVM (same java, class
 * path and {@code -X} options as the benchmark's own) with a request file and reads back a result file. Stateless.
 */
public final class ChildProcess {
    private static final long TIMEOUT_MINUTES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChildProcess() {}

    /**
     * What to measure.
     *
     * @param mode {@code solo} (one latency contender alone) or {@code startup}
     * @param contender the latency contender, for {@code solo}
     */
    public record Request(
            String mode,
            ModelFiles files,
            String contender,
            int floorBatch,
            int floorThreads,
            int warmUp,
            String singleText,
            int singleCalls,
            List<String> batchTexts,
            int batchCalls,
            int gapMillis) {}

    /** Milliseconds per timed call, and the noise from other processes meanwhile; or the two open times. */
    public record Result(
            double[] singleMillis,
            double singleOtherCores,
            double[] batchMillis,
            double batchOtherCores,
            double firstOpenMillis,
            double secondOpenMillis) {}

    /** Child entry point: {@code REQUEST_JSON RESULT_JSON}. */
    public static void main(String[] args) throws Exception {
        Request request = JSON.readValue(Path.of(args[0]).toFile(), Request.class);
        Result result = request.mode().equals("startup") ? startup(request) : solo(request);
        JSON.writeValue(Path.of(args[1]).toFile(), result);
        System.exit(0); // ONNX Runtime's and LangChain4j's non-daemon threads must not keep the child alive
    }

    private static Result startup(Request request) throws IOException {
        double[] millis = new double[2];
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            try (Embedder embedder =
                    Embedder.open(ModelSource.parse(request.files().model()))) {
                embedder.embed(request.singleText());
            }
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return new Result(new double[0], 0, new double[0], 0, millis[0], millis[1]);
    }

    private static Result solo(Request r) throws IOException {
        try (Contenders contenders =
                Contenders.open(List.of(r.contender()), r.files(), r.floorBatch(), r.floorThreads())) {
            double[] sink = {0};
            DoubleSupplier one = contenders.single(r.singleText()).get(r.contender());
            DoubleSupplier many = contenders.batch(r.batchTexts()).get(r.contender());
            CpuMonitor.Sample a = CpuMonitor.sample();
            double[] single = Contenders.rotate(List.of(one), r.warmUp(), r.singleCalls(), r.gapMillis(), sink)[0];
            CpuMonitor.Sample b = CpuMonitor.sample();
            double[] batch = Contenders.rotate(List.of(many), r.warmUp(), r.batchCalls(), r.gapMillis(), sink)[0];
            CpuMonitor.Sample c = CpuMonitor.sample();
            System.out.println("checksum " + sink[0]);
            return new Result(single, CpuMonitor.othersCores(a, b), batch, CpuMonitor.othersCores(b, c), 0, 0);
        }
    }

    /** Runs a request in a child JVM and returns its result. */
    public static Result run(Request request, PrintStream log) throws IOException {
        Path dir = Files.createTempDirectory("onyx-bench-child");
        Path in = dir.resolve("request.json");
        Path out = dir.resolve("result.json");
        Path output = dir.resolve("output.txt");
        try {
            JSON.writeValue(in.toFile(), request);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString()));
            command.addAll(jvmOptions());
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    ChildProcess.class.getName(),
                    in.toString(),
                    out.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean done;
            try {
                done = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new OnyxException("interrupted while a child benchmark process ran", e);
            }
            if (!done) {
                process.destroyForcibly();
                throw new OnyxException(
                        "child benchmark process ran over " + TIMEOUT_MINUTES + " min: " + request.mode());
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(out)) {
                String text = Files.readString(output);
                throw new OnyxException("child benchmark process (" + request.mode() + " " + request.contender()
                        + ") failed with exit code " + process.exitValue() + ":\n"
                        + text.substring(Math.max(0, text.length() - 4000)));
            }
            return JSON.readValue(out.toFile(), Result.class);
        } finally {
            for (Path p : List.of(in, out, output)) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        }
    }

    /** This JVM's {@code -X...} options (heap, GC), passed on so a child runs under the same memory settings. */
    static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X"))
                .toList();
    }
}
