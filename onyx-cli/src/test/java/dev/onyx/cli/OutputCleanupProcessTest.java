package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onyx embed --output} in a real process that dies mid-run: SIGTERM leaves nothing behind (a shutdown hook
 * deletes the partial file); SIGKILL leaves only a hidden partial file, which the next run into that folder removes.
 */
class OutputCleanupProcessTest {
    @TempDir
    Path dir;

    private Process startLongEmbed(Path input, Path output) throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.onyx.cli.Main",
                "embed",
                "--input",
                input.toString(),
                "--output",
                output.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("child-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    private List<String> partials(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.contains(VectorWriter.PARTIAL))
                    .toList();
        }
    }

    private void awaitPartial(Process process, Path folder) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (partials(folder).isEmpty()) {
            assertThat(process.isAlive()).as("the child is still embedding").isTrue();
            assertThat(System.nanoTime()).as("a partial file appeared in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void killedRunsLeaveNoTargetAndTheirPartialFilesAreGoneAfterTheNextRun() throws Exception {
        Path input = dir.resolve("texts.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) lines.add("line " + i + " of a long input that takes a while to embed");
        Files.write(input, lines);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path target = out.resolve("vectors.npy");

        Process terminated = startLongEmbed(input, target);
        awaitPartial(terminated, out);
        terminated.destroy(); // SIGTERM: the shutdown hook deletes the partial file
        assertThat(terminated.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(partials(out)).isEmpty();
        assertThat(target).doesNotExist();

        Process killed = startLongEmbed(input, target);
        awaitPartial(killed, out);
        killed.destroyForcibly(); // SIGKILL: nothing runs in the child
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> left = partials(out);
        assertThat(left).singleElement().asString().startsWith(".vectors.npy" + VectorWriter.PARTIAL + killed.pid());
        assertThat(target).doesNotExist();

        CliRunner.Result next =
                CliRunner.run("embed", "--output", out.resolve("other.jsonl").toString(), "hello");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(partials(out)).isEmpty();
        assertThat(out.toFile().list()).containsExactly("other.jsonl");
        assertThat(new File(out.toFile(), "other.jsonl").length()).isPositive();
    }
}
