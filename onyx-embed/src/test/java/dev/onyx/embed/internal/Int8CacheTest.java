package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.TinyEncoder;
import dev.onyx.runtime.OnyxException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 cache on a tiny encoder (quantized in seconds), each test in a cache folder of its own: made once and reused
 * (counted, and by the files' modification times), a damaged copy rebuilt, concurrent first uses in two threads and in
 * two processes quantizing once, an already-int8 model refused.
 */
class Int8CacheTest {
    @TempDir
    static Path shared;

    static ModelSource.Quantized tiny;

    @BeforeAll
    static void writeModel() throws Exception {
        tiny = new ModelSource.Quantized(
                new ModelSource.Folder(TinyEncoder.write(shared.resolve("tiny-encoder"))), ModelPrecision.INT8);
    }

    @Test
    void theFirstUseQuantizesAndLaterUsesReuseTheCopy(@TempDir Path cache) throws Exception {
        List<String> progress = new ArrayList<>();
        int before = Int8Cache.QUANTIZATIONS.get();
        Path first = Int8Cache.ensure(tiny, progress::add, cache);
        assertThat(Int8Cache.QUANTIZATIONS.get() - before).isEqualTo(1);
        assertThat(progress).anyMatch(l -> l.contains("calibrated")).anyMatch(l -> l.contains("cached the int8 copy"));
        assertThat(first.getParent()).isEqualTo(cache);
        assertThat(first.getFileName().toString()).matches("[0-9a-f]{32}-int8-[0-9a-f]{12}");
        assertThat(first.resolve("model.onnx")).isRegularFile();
        assertThat(first.resolve("quantization.json")).isRegularFile();
        assertThat(first.resolve(Int8Cache.MANIFEST)).isRegularFile();
        FileTime made = Files.getLastModifiedTime(first.resolve("model.onnx"));

        progress.clear();
        Path second = Int8Cache.ensure(tiny, progress::add, cache);
        assertThat(second).isEqualTo(first);
        assertThat(Int8Cache.QUANTIZATIONS.get() - before)
                .as("quantizations after a reuse")
                .isEqualTo(1);
        assertThat(Files.getLastModifiedTime(second.resolve("model.onnx"))).isEqualTo(made);
        assertThat(progress).isEmpty();
        try (var entries = Files.list(cache)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void aDamagedCopyIsDetectedAndRebuilt(@TempDir Path cache) throws Exception {
        Path copy = Int8Cache.ensure(tiny, line -> {}, cache);
        byte[] good = Files.readAllBytes(copy.resolve("model.onnx"));
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x5a; // same size, one byte flipped: only the checksum tells
        Files.write(copy.resolve("model.onnx"), bad);
        assertThat(Int8Cache.damage(copy)).contains("model.onnx does not match its SHA-256");

        List<String> progress = new ArrayList<>();
        int before = Int8Cache.QUANTIZATIONS.get();
        Path rebuilt = Int8Cache.ensure(tiny, progress::add, cache);
        assertThat(rebuilt).isEqualTo(copy);
        assertThat(Int8Cache.QUANTIZATIONS.get() - before).isEqualTo(1);
        assertThat(progress).anyMatch(l -> l.contains("is damaged (model.onnx does not match its SHA-256)"));
        assertThat(Int8Cache.damage(rebuilt)).isNull();
        assertThat(Files.readAllBytes(rebuilt.resolve("model.onnx"))).isEqualTo(good);

        Files.delete(rebuilt.resolve("tokenizer.json"));
        Int8Cache.ensure(tiny, progress::add, cache);
        assertThat(progress).anyMatch(l -> l.contains("tokenizer.json is missing"));
        assertThat(Int8Cache.damage(rebuilt)).isNull();
    }

    @Test
    void twoThreadsUsingItFirstAtOnceQuantizeOnce(@TempDir Path cache) throws Exception {
        int before = Int8Cache.QUANTIZATIONS.get();
        CompletableFuture<Path> a = CompletableFuture.supplyAsync(() -> ensureUnchecked(cache));
        CompletableFuture<Path> b = CompletableFuture.supplyAsync(() -> ensureUnchecked(cache));
        assertThat(a.get(5, TimeUnit.MINUTES)).isEqualTo(b.get(5, TimeUnit.MINUTES));
        assertThat(Int8Cache.QUANTIZATIONS.get() - before).isEqualTo(1);
    }

    @Test
    void twoProcessesUsingItFirstAtOnceQuantizeOnceAndShareTheCopy(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            Int8CacheFirstUse.class.getName(),
                            ((ModelSource.Folder) tiny.fp32()).directory().toString(),
                            cache.toString())
                    .redirectError(cache.resolveSibling(cache.getFileName() + "-stderr-" + i + ".txt")
                            .toFile())
                    .start());
        }
        List<String> paths = new ArrayList<>();
        int quantizations = 0;
        for (int i = 0; i < 2; i++) {
            Process p = processes.get(i);
            List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            File stderr = cache.resolveSibling(cache.getFileName() + "-stderr-" + i + ".txt")
                    .toFile();
            assertThat(p.exitValue())
                    .as("stderr: %s", Files.readString(stderr.toPath()))
                    .isZero();
            paths.add(out.get(0));
            quantizations += Integer.parseInt(out.get(1));
        }
        assertThat(paths.get(0)).isEqualTo(paths.get(1));
        assertThat(quantizations).as("quantizations in both processes").isEqualTo(1);
        assertThat(Int8Cache.damage(Path.of(paths.get(0)))).isNull();
    }

    @Test
    void anAlreadyInt8ModelIsRefusedNamingItsFp32Model(@TempDir Path cache) {
        assertThatThrownBy(() -> Int8Cache.ensure(
                        new ModelSource.Quantized(new ModelSource.Bundled("all-minilm-l6-v2-q"), ModelPrecision.INT8),
                        line -> {},
                        cache))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("model all-minilm-l6-v2-q is already int8")
                .hasMessageContaining("MatMulInteger")
                .hasMessageContaining("its fp32 model is all-minilm-l6-v2");
    }

    private static Path ensureUnchecked(Path cache) {
        try {
            return Int8Cache.ensure(tiny, line -> {}, cache);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
