package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.TinyEncoder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning {@code <cache>/int8/}: a copy of another quantizer unused for a day goes with its marker (its lock file
 * stays), while this quantizer's copies, recently used or young ones, and copies whose lock a process or thread holds
 * stay; old temporary folders and month-old index entries go. On a real tiny encoder: writing a copy prunes another
 * quantizer's, and a reuse marks the key as used.
 */
class StaleInt8CopiesTest {
    private static final Duration DAY = Duration.ofDays(1);
    private static final String CURRENT = Int8Cache.fingerprint().substring(0, 12);
    private static final String OTHER = CURRENT.equals("000000000000") ? "111111111111" : "000000000000";

    @TempDir
    Path dir;

    @Test
    void anotherQuantizersUnusedCopyGoesAndWhatMayStillBeReadStays() throws Exception {
        Path stale = copy(key('a', OTHER), Duration.ofDays(3));
        Path staleLock = file(key('a', OTHER) + ".lock", Duration.ofDays(3));
        Path refused = file(key('b', OTHER) + ".refused", Duration.ofDays(3));
        Path current = copy(key('a', CURRENT), Duration.ofDays(30));
        Path usedRecently = copy(key('c', OTHER), Duration.ofDays(3));
        file(key('c', OTHER) + ".lock", Duration.ofHours(1));
        Path young = copy(key('d', OTHER), Duration.ofHours(2));
        Path deadWriter = copy(key('e', CURRENT) + ".tmp-123-456", Duration.ofDays(2));
        Path liveWriter = copy(key('e', CURRENT) + ".tmp-123-789", Duration.ofMinutes(5));
        Path oldIndex = file("index/old-entry", Duration.ofDays(40));
        Path index = file("index/entry", Duration.ofDays(2));
        Instant now = Instant.now();

        assertThat(StaleInt8Copies.stale(dir, DAY, now))
                .containsExactlyInAnyOrder(stale, refused, deadWriter, oldIndex);

        List<Path> deleted = StaleInt8Copies.prune(dir, DAY, now);
        assertThat(deleted)
                .containsExactlyInAnyOrder(
                        stale.resolve("model.onnx"),
                        stale.resolve("1_Pooling/config.json"),
                        stale.resolve(Int8Cache.MANIFEST),
                        refused,
                        deadWriter.resolve("model.onnx"),
                        deadWriter.resolve("1_Pooling/config.json"),
                        deadWriter.resolve(Int8Cache.MANIFEST),
                        oldIndex);
        assertThat(stale).doesNotExist();
        assertThat(refused).doesNotExist();
        assertThat(deadWriter).doesNotExist();
        assertThat(oldIndex).doesNotExist();
        assertThat(staleLock)
                .as("a lock file stays: deleting it could split the lock")
                .exists();
        for (Path kept : List.of(current, usedRecently, young, liveWriter)) {
            assertThat(kept.resolve("model.onnx")).as(kept.toString()).isRegularFile();
        }
        assertThat(index).exists();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-pruned-"));
        }
        assertThat(StaleInt8Copies.stale(dir, DAY, now)).isEmpty();
        assertThat(StaleInt8Copies.prune(dir, DAY, now)).isEmpty();
    }

    @Test
    void aCopyWhoseLockAnotherProcessOrThreadHoldsStays() throws Exception {
        Path stale = copy(key('a', OTHER), Duration.ofDays(3));
        Path lockFile = file(key('a', OTHER) + ".lock", Duration.ofDays(3));

        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            assertThat(StaleInt8Copies.prune(dir, DAY, Instant.now())).isEmpty();
            assertThat(stale.resolve("model.onnx")).isRegularFile();
        }

        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldFileLock.class.getName(),
                        lockFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThat(StaleInt8Copies.prune(dir, DAY, Instant.now())).isEmpty();
            assertThat(stale.resolve("model.onnx")).isRegularFile();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(StaleInt8Copies.prune(dir, DAY, Instant.now())).contains(stale.resolve("model.onnx"));
        assertThat(stale).doesNotExist();
    }

    @Test
    void writingACopyPrunesAnotherQuantizersAndAReuseMarksTheKeyUsed(@TempDir Path shared) throws Exception {
        ModelSource.Quantized tiny = new ModelSource.Quantized(
                new ModelSource.Folder(TinyEncoder.write(shared.resolve("tiny-encoder"))), ModelPrecision.INT8);
        Path stale = copy(key('a', OTHER), Duration.ofDays(3));

        Path made = Int8Cache.ensure(tiny, line -> {}, dir);
        assertThat(stale).doesNotExist();
        assertThat(Int8Cache.damage(made)).isNull();

        Path lockFile = dir.resolve(made.getFileName() + ".lock");
        Files.setLastModifiedTime(lockFile, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        assertThat(Int8Cache.ensure(tiny, line -> {}, dir)).isEqualTo(made);
        assertThat(Files.getLastModifiedTime(lockFile).toInstant())
                .isAfter(Instant.now().minus(Duration.ofHours(1)));
        assertThat(StaleInt8Copies.prune(dir, DAY, Instant.now())).isEmpty();
        assertThat(Int8Cache.damage(made)).isNull();
    }

    private static String key(char c, String fingerprint) {
        return String.valueOf(c).repeat(32) + "-int8-" + fingerprint;
    }

    /** A copy-shaped folder (files, a subfolder, a manifest), every entry {@code age} old. */
    private Path copy(String name, Duration age) throws Exception {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.write(folder.resolve("model.onnx"), new byte[1024]);
        Files.writeString(folder.resolve("1_Pooling/config.json"), "{}");
        Files.writeString(folder.resolve(Int8Cache.MANIFEST), "{}");
        FileTime time = FileTime.from(Instant.now().minus(age));
        for (Path p : List.of(
                folder.resolve("model.onnx"),
                folder.resolve("1_Pooling/config.json"),
                folder.resolve(Int8Cache.MANIFEST),
                folder.resolve("1_Pooling"),
                folder)) {
            Files.setLastModifiedTime(p, time);
        }
        return folder;
    }

    private Path file(String name, Duration age) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }
}
