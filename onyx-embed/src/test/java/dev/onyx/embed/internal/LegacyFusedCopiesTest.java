package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.Device;
import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning of what an older Onyx's naming left in {@code <cache>/fused/}, next to copies this Onyx uses. */
class LegacyFusedCopiesTest {
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    @Test
    void onlyTheOlderPerFileNamingCountsAsLegacy() {
        assertThat(LegacyFusedCopies.isLegacyName("all-minilm-l6-v2-5633496-1a23bc4c129-faf3b80-f1.onnx"))
                .isTrue();
        assertThat(LegacyFusedCopies.isLegacyName("model-4ef6489-1a23c06edec-ebe4b0a4-f1.onnx.txt"))
                .isTrue();
        assertThat(LegacyFusedCopies.isLegacyName("e5-small-v2-q-207049f-1a23bcdb2d0-e4dd5bd2-f1.declined"))
                .isTrue();
        // the current content keys, their lists and temporary files are not
        assertThat(LegacyFusedCopies.isLegacyName("759c3cd2b7fe7e93933ad23c4c9181b7-f1.onnx"))
                .isFalse();
        assertThat(LegacyFusedCopies.isLegacyName("759c3cd2b7fe7e93933ad23c4c9181b7-f1.sources"))
                .isFalse();
        assertThat(LegacyFusedCopies.isLegacyName("model-4ef6489-1a23c06edec-ebe4b0a4-f1.onnx.tmp-check-42"))
                .isFalse();
        assertThat(LegacyFusedCopies.isLegacyName("notes.txt")).isFalse();
    }

    @Test
    void oldLegacyEntriesAndUnusedIndexEntriesGoEverythingElseStays() throws Exception {
        Path oldCopy = file("model-4ef6489-1a23c06edec-ebe4b0a4-f1.onnx", Duration.ofDays(3));
        Path oldNote = file("model-4ef6489-1a23c06edec-ebe4b0a4-f1.onnx.txt", Duration.ofDays(3));
        Path oldMarker = file("e5-small-v2-q-207049f-1a23bcdb2d0-e4dd5bd2-f1.declined", Duration.ofDays(2));
        Path youngCopy = file("bge-small-en-v1.5-7eed872-1a23bc8e4ec-8c688d9c-f1.onnx", Duration.ofHours(2));
        Path current = file("759c3cd2b7fe7e93933ad23c4c9181b7-f1.onnx", Duration.ofDays(90));
        Path currentSources = file("759c3cd2b7fe7e93933ad23c4c9181b7-f1.sources", Duration.ofDays(90));
        Path tmp = file("model-4ef6489-1a23c06edec-ebe4b0a4-f1.onnx.tmp-check-42", Duration.ofMinutes(1));
        Path other = file("notes.txt", Duration.ofDays(90));
        Path oldIndex = file("index/model-4ef6489-1a23c06edec-ebe4b0a4", Duration.ofDays(40));
        Path youngIndex = file("index/model-6518dfc-1a23c10e09c-cc4f3d94", Duration.ofDays(2));

        assertThat(LegacyFusedCopies.stale(dir, Duration.ofDays(1), Duration.ofDays(30), NOW))
                .containsExactlyInAnyOrder(oldCopy, oldNote, oldMarker, oldIndex);
        List<Path> removed = LegacyFusedCopies.prune(dir, Duration.ofDays(1), Duration.ofDays(30), NOW);

        assertThat(removed).containsExactlyInAnyOrder(oldCopy, oldNote, oldMarker, oldIndex);
        assertThat(names(dir))
                .containsExactlyInAnyOrder(
                        "index",
                        youngCopy.getFileName().toString(),
                        current.getFileName().toString(),
                        currentSources.getFileName().toString(),
                        tmp.getFileName().toString(),
                        other.getFileName().toString());
        assertThat(names(dir.resolve("index")))
                .containsExactly(youngIndex.getFileName().toString());
        assertThat(LegacyFusedCopies.prune(dir, Duration.ofDays(1), Duration.ofDays(30), NOW))
                .isEmpty();
    }

    @Test
    void aMissingDirectoryHasNothingToPrune() {
        assertThat(LegacyFusedCopies.prune(dir.resolve("absent"), Duration.ZERO, Duration.ZERO, NOW))
                .isEmpty();
    }

    @Test
    void theFirstFusedOpenInAProcessPrunesTheDirectory() throws Exception {
        Path cache = dir.resolve("cache");
        Path old = file("cache/model-4ef6489-1a23c06edec-ebe4b0a4-f1.onnx", Duration.ofDays(3));
        Path young = file("cache/model-6518dfc-1a23c10e09c-cc4f3d94-f1.onnx", Duration.ofMinutes(5));
        Path notAModel = Files.writeString(dir.resolve("broken.onnx"), "not a model");

        // the open itself fails (the file is no ONNX model), but only after the pruning
        assertThatThrownBy(() ->
                        FusedModels.load(notAModel, RuntimeOptions.defaults().withDevice(Device.CPU), true, cache))
                .isInstanceOf(InvalidModelException.class);

        assertThat(old).doesNotExist();
        assertThat(young).exists();
    }

    private Path file(String name, Duration age) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, name);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
