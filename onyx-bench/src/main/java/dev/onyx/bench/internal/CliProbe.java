package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the CLI's {@code embed} on the corpus as a separate process and samples the peak RSS of its process tree;
 * stateless, so thread-safe. Peak RSS is read from {@code /proc} (VmHWM, a high-water mark) every few milliseconds, so
 * the value is the largest peak any process in the tree reached while it was alive.
 */
public final class CliProbe {
    private static final long POLL_MILLIS = 5;
    private static final long TIMEOUT_MINUTES = 10;

    private CliProbe() {}

    /**
     * Runs {@code <cli> embed --input <corpus file> --output <tmp>/x.npy} twice (the first run may build the jar and
     * fill caches) and reports the second.
     */
    public static BenchReport.CliRun embed(Path cli, List<String> texts, PrintStream log) throws IOException {
        Path dir = Files.createTempDirectory("onyx-bench-cli");
        try {
            Path input = dir.resolve("corpus.txt");
            Files.write(input, texts, StandardCharsets.UTF_8);
            List<String> command = List.of(
                    cli.toAbsolutePath().toString(),
                    "embed",
                    "--input",
                    input.toString(),
                    "--output",
                    dir.resolve("x.npy").toString());
            run(command, dir, log);
            BenchReport.CliRun result = run(command, dir, log);
            log.printf(
                    "cli embed: %.2f s, peak RSS %d MB, exit %d%n",
                    result.wallSeconds(), result.peakRssBytes() >> 20, result.exitCode());
            return result;
        } finally {
            deleteTree(dir);
        }
    }

    private static BenchReport.CliRun run(List<String> command, Path dir, PrintStream log) throws IOException {
        Path output = dir.resolve("cli-output.txt");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        long peak = 0;
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, treePeakRss(process.toHandle()));
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES)) {
                    process.destroyForcibly();
                    throw new OnyxException("'" + String.join(" ", command) + "' ran over " + TIMEOUT_MINUTES + " min");
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OnyxException("interrupted while running " + command.get(0), e);
        }
        double seconds = Math.round((System.nanoTime() - start) / 1e7) / 100.0;
        if (process.exitValue() != 0) {
            log.println("cli embed failed (exit " + process.exitValue() + "):\n" + Files.readString(output));
        }
        String shown = Path.of(command.get(0)).getFileName() + " embed --input <corpus> --output x.npy";
        return new BenchReport.CliRun(shown, seconds, peak, process.exitValue());
    }

    private static long treePeakRss(ProcessHandle root) {
        long peak = ProcessMemory.peakRssBytes(root.pid());
        for (ProcessHandle child : (Iterable<ProcessHandle>) root.descendants()::iterator) {
            peak = Math.max(peak, ProcessMemory.peakRssBytes(child.pid()));
        }
        return peak;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
