package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** {@code onyx-spark/cluster} for {@link StandaloneClusterIT}: runs it and reads what it left behind; stateless. */
final class ClusterScript {
    private static final Pattern OPENED = Pattern.compile("onyx: executor opened model (\\S+) in (\\d+) ms");
    private static final Path MODULE = Path.of("").toAbsolutePath();

    private ClusterScript() {}

    record Run(int exitCode, Path work, String out, String err) {
        String describe() {
            return "cluster run in " + work + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }

        /** Submission {@code k}'s (1-based) spark-submit exit code, as the script recorded it. */
        int exitCode(int k) throws IOException {
            return Integer.parseInt(
                    Files.readString(work.resolve("submit-" + k + ".rc")).trim());
        }

        /** The application and driver folders submission {@code k} used under the workers' folders. */
        List<String> folders(int k) throws IOException {
            return Files.readAllLines(work.resolve("submit-" + k + ".dirs")).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
        }

        /** Model-open lines of the only submission, per executor that ran a task. */
        Map<Path, Integer> modelOpensPerExecutor() throws IOException {
            return modelOpensPerExecutor(1, ModelSource.DEFAULT_MODEL);
        }

        /** Model-open lines per executor of submission {@code k} that ran a task (its stderr under a worker's folder). */
        Map<Path, Integer> modelOpensPerExecutor(int k, String model) throws IOException {
            Map<Path, Integer> opens = new HashMap<>();
            for (String folder : folders(k)) {
                if (!folder.contains("/app-")) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(Path.of(folder))) {
                    for (Path stderr : files.filter(
                                    p -> p.getFileName().toString().equals("stderr"))
                            .toList()) {
                        String log = Files.readString(stderr);
                        if (log.contains("Running task")) {
                            Matcher m = OPENED.matcher(log);
                            int count = 0;
                            while (m.find()) {
                                assertThat(m.group(1)).isEqualTo(model);
                                count++;
                            }
                            opens.put(stderr, count);
                        }
                    }
                }
            }
            return opens;
        }
    }

    /**
     * Runs {@code onyx-spark/cluster 2 --cores 1 --memory 1g} with the built job jar and these submission arguments in
     * {@code work}; checks every process it started is gone.
     */
    static Run run(Path work, String... jobArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "bash",
                MODULE.resolve("cluster").toString(),
                "2",
                "--cores",
                "1",
                "--memory",
                "1g",
                "--work-dir",
                work.toString(),
                "--jar",
                MODULE.resolve("target/onyx-spark-job.jar").toString()));
        if (!List.of(jobArgs).contains("--")) {
            command.add("--");
        }
        command.addAll(List.of(jobArgs));
        Files.createDirectories(work);
        Path out = work.resolve("cluster.out");
        Path err = work.resolve("cluster.err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(MODULE.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        builder.environment().put("PATH", javaBin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        long submissions =
                1 + List.of(jobArgs).stream().filter("--next"::equals).count();
        if (!process.waitFor(8 * submissions, TimeUnit.MINUTES)) {
            process.destroy(); // SIGTERM: the script's trap stops what it started
            process.waitFor(1, TimeUnit.MINUTES);
        }
        int exit = process.exitValue();
        Run run = new Run(
                exit,
                work,
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        assertThat(run.err()).as(run.describe()).contains("cluster: stopped");
        for (String pid : Files.readString(work.resolve("pids")).trim().split("\\s+")) {
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive))
                    .as("process %s started by the cluster script", pid)
                    .isNotEqualTo(java.util.Optional.of(true));
        }
        return run;
    }

    /** The folder's files, at the archive's root (what Spark unpacks into the folder named after the archive). */
    static Path zip(Path folder, Path archive) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(archive));
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(folder.relativize(file).toString()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return archive;
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
