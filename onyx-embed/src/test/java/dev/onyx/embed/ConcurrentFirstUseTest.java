package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.internal.Catalog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes whose classpath has no carrier jar open the same catalog model at once, through {@code
 * ModelSource.parse}, with {@code ~/.m2/settings.xml} (a {@code user.home} of their own) naming an authenticated mirror
 * and an empty local repository: both succeed, the jar is downloaded once, one good copy is left, and the vectors match
 * the classpath route.
 */
class ConcurrentFirstUseTest {
    private static final String MODEL = "all-minilm-l6-v2-q";
    private static final String TEXT = "The quick brown fox jumps over the lazy dog.";

    @TempDir
    Path dir;

    @Test
    void twoProcessesResolvingTheSameModelAtOnceBothSucceedAndLeaveOneCopy() throws Exception {
        Catalog.Entry entry = Catalog.find(MODEL).orElseThrow();
        try (MavenRepoFixture repo = new MavenRepoFixture(dir)) {
            repo.delayPerChunkMillis = 150; // ~2.5 s per download: the two first uses overlap
            Path home = dir.resolve("home");
            Files.createDirectories(home.resolve(".m2"));
            Files.writeString(
                    home.resolve(".m2/settings.xml"), MavenRepoFixture.settings(repo.url("private"), true, false));
            Path cache = dir.resolve("onyx-cache");

            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                processes.add(new ProcessBuilder(command(home, cache))
                        .redirectError(dir.resolve("stderr-" + i + ".txt").toFile())
                        .start());
            }
            List<List<String>> outputs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Process process = processes.get(i);
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue())
                        .as("exit of process %d, stderr: %s", i, Files.readString(dir.resolve("stderr-" + i + ".txt")))
                        .isZero();
                outputs.add(out.lines().toList());
            }

            assertThat(repo.jarGets("private", entry)).as("jar downloads").isEqualTo(1);
            assertThat(outputs.get(0).get(0))
                    .isEqualTo(outputs.get(1).get(0))
                    .contains(entry.carrier())
                    .contains(cache.toString());
            assertThat(home.resolve(".m2/repository").resolve(MavenRepoFixture.relativePath(entry)))
                    .exists();
            try (Stream<Path> files = Files.walk(cache.resolve("catalog"))) {
                List<String> names = files.filter(Files::isRegularFile)
                        .map(f -> cache.resolve("catalog").relativize(f).toString())
                        .sorted()
                        .toList();
                assertThat(names).noneMatch(n -> n.endsWith(".part"));
                assertThat(names.stream().filter(n -> n.endsWith("model.onnx"))).hasSize(1);
            }
            float[] expected;
            try (Embedder classpath = Embedder.open(ModelSource.parse(MODEL))) {
                expected = classpath.embed(TEXT);
            }
            for (List<String> output : outputs) {
                assertThat(Reference.cosine(parse(output.get(1)), expected)).isGreaterThanOrEqualTo(0.99999);
            }

            // Once cached, Maven Resolver is not needed: a third process without it on its classpath opens the model.
            Process withoutResolver = new ProcessBuilder(command(home, cache, "/org/apache/maven/"))
                    .redirectError(dir.resolve("stderr-2.txt").toFile())
                    .start();
            String out = new String(withoutResolver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(withoutResolver.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(withoutResolver.exitValue())
                    .as("stderr: %s", Files.readString(dir.resolve("stderr-2.txt")))
                    .isZero();
            assertThat(Reference.cosine(parse(out.lines().toList().get(1)), expected))
                    .isGreaterThanOrEqualTo(0.99999);
            assertThat(repo.jarGets("private", entry)).isEqualTo(1);
        }
    }

    /** The child's command line: this test's classpath less the carriers and any entry containing {@code without}. */
    private static List<String> command(Path home, Path cache, String... without) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("langchain4j-embeddings-"))
                .filter(entry -> Arrays.stream(without).noneMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
        return List.of(
                java,
                "-cp",
                classpath,
                "-Duser.home=" + home,
                "-Donyx.cache.dir=" + cache,
                CatalogFirstUse.class.getName(),
                MODEL,
                TEXT);
    }

    private static float[] parse(String line) {
        String[] parts = line.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.parseFloat(parts[i]);
        return out;
    }
}
