package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onyx cache list|prune} on a cache directory of its own (system property {@code onyx.cache.dir}): fused copies,
 * entries of an older Onyx's naming and int8 copies of another quantizer.
 */
class CacheCommandTest {
    @TempDir
    Path cache;

    private String previous;

    @BeforeEach
    void useOwnCache() {
        previous = System.getProperty("onyx.cache.dir");
        System.setProperty("onyx.cache.dir", cache.toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty("onyx.cache.dir");
        } else {
            System.setProperty("onyx.cache.dir", previous);
        }
    }

    @Test
    void listShowsTheFoldersAndPruneRemovesOnlyWhatNoOnyxReadsAgain() throws Exception {
        Path legacy = file("fused/model-4ef6489-1a23c06edec-ebe4b0a4-f1.onnx", 2048, Duration.ofDays(3));
        Path youngLegacy = file("fused/model-6518dfc-1a23c10e09c-cc4f3d94-f1.onnx", 10, Duration.ofHours(1));
        // a current-scheme copy whose only model file is gone
        Path orphan = file("fused/0123456789abcdef0123456789abcdef-f1.onnx", 1024, Duration.ofHours(1));
        Files.writeString(cache.resolve("fused/0123456789abcdef0123456789abcdef-f1.sources"), "/no/such/model.onnx\n");
        Path tokenizer = file("tokenizers/abc.wordpiece", 100, Duration.ofDays(90));

        CliRunner.Result list = CliRunner.run("cache", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out())
                .contains("cache: " + cache)
                .containsPattern("fused\\s+4 files")
                .containsPattern("tokenizers\\s+1 files")
                .contains("1 entries of an older Onyx's naming to prune");

        CliRunner.Result prune = CliRunner.run("cache", "prune");
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("pruned 3 files (3.0 KiB)");
        assertThat(legacy).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(youngLegacy).exists();
        assertThat(tokenizer).exists();

        assertThat(CliRunner.run("cache", "prune").out()).contains("pruned 0 files");
    }

    @Test
    void pruneRemovesInt8CopiesOfAnotherQuantizerUnusedForADay() throws Exception {
        // no Onyx build has this all-zero quantizer fingerprint
        String old = "0123456789abcdef0123456789abcdef-int8-000000000000";
        String recent = "fedcba9876543210fedcba9876543210-int8-000000000000";
        Path oldModel = file("int8/" + old + "/model.onnx", 2048, Duration.ofDays(3));
        Files.setLastModifiedTime(
                cache.resolve("int8/" + old), FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        Path oldLock = file("int8/" + old + ".lock", 0, Duration.ofDays(3));
        Path recentModel = file("int8/" + recent + "/model.onnx", 2048, Duration.ofDays(3));
        file("int8/" + recent + ".lock", 0, Duration.ofMinutes(10)); // used ten minutes ago

        CliRunner.Result list = CliRunner.run("cache", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("1 int8 entries of another quantizer or left over to prune");

        CliRunner.Result prune = CliRunner.run("cache", "prune");
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("pruned 1 files (2.0 KiB)");
        assertThat(oldModel.getParent()).doesNotExist();
        assertThat(oldLock).exists();
        assertThat(recentModel).isRegularFile();
    }

    @Test
    void withoutASubcommandItPrintsUsageAndFails() {
        CliRunner.Result result = CliRunner.run("cache");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("list").contains("prune");
    }

    private Path file(String name, int bytes, Duration age) throws Exception {
        Path file = cache.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }
}
