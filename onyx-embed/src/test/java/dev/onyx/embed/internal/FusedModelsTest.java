package dev.onyx.embed.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.onnx.TransformerFusion;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused-graph rewrite on the real bundled encoders: what it rewrites, that the result passes the ONNX checker and
 * embeds exactly as the exported graph does, and how the cache of fused copies behaves.
 */
class FusedModelsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> encoders() {
        // name, attention blocks, bias + residual + LayerNorm groups (two per layer), pooling differs: mean / CLS
        return Stream.of(
                Arguments.of("all-minilm-l6-v2", 6, 12),
                Arguments.of("bge-small-en-v1.5", 12, 24),
                Arguments.of("e5-small-v2", 12, 24));
    }

    private static Path exported(String model) throws Exception {
        return BundledModels.resolve(Catalog.find(model).orElseThrow()).onnxFile();
    }

    @ParameterizedTest
    @MethodSource("encoders")
    void everyBundledEncoderIsFusedAndEmbedsAsExported(String model, int attention, int skipLayerNorms)
            throws Exception {
        Path out = dir.resolve(model + "-fused.onnx");
        TransformerFusion.Report report = TransformerFusion.fuse(exported(model), out);
        assertThat(report.attentionBlocks()).isEqualTo(attention);
        assertThat(report.skipLayerNorms()).isEqualTo(skipLayerNorms);
        assertThat(report.reason()).isEmpty();

        List<String> texts = texts();
        EmbedOptions options = EmbedOptions.defaults();
        try (Embedder fused = Embedder.open(ModelSource.parse(model), options);
                Embedder plain = Embedder.open(ModelSource.parse(model), options.withGraphFusion(false))) {
            assertThat(fused.info().graph())
                    .isEqualTo("fused (" + attention + " Attention, " + skipLayerNorms + " SkipLayerNormalization)");
            assertThat(Path.of(fused.info().runtimeFile()))
                    .isNotEqualTo(exported(model))
                    .isRegularFile();
            assertThat(plain.info().graph()).isEqualTo("as exported (fusion off)");
            assertThat(plain.info().runtimeFile()).isEqualTo(exported(model).toString());
            float[][] a = fused.embed(texts).toArray();
            float[][] b = plain.embed(texts).toArray();
            for (int i = 0; i < texts.size(); i++) {
                double dot = 0;
                for (int d = 0; d < a[i].length; d++) {
                    assertThat((double) Math.abs(a[i][d] - b[i][d]))
                            .as("%s text %d component %d", model, i, d)
                            .isLessThan(1e-4);
                    dot += (double) a[i][d] * b[i][d];
                }
                assertThat(dot).as("%s cosine of text %d", model, i).isGreaterThan(0.99999);
            }
        }
    }

    /** Corpus sentences (every 8th SOTU line, first 150) plus edge cases: one word, punctuation, past the limit. */
    private static List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>();
        try (InputStream in = FusedModelsTest.class.getResourceAsStream("/corpus/sotu-every-8th.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < 150; i++) texts.add(lines[i]);
        }
        texts.add("a");
        texts.add("?!");
        texts.add("word ".repeat(700));
        return texts;
    }

    @Test
    void theFusedGraphPassesTheOnnxChecker() throws Exception {
        Path out = dir.resolve("minilm-fused.onnx");
        TransformerFusion.fuse(exported("all-minilm-l6-v2"), out);
        Process p = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True);"
                                + " print('OK')",
                        out.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("onnx.checker output: %s", output).isZero();
        assertThat(output.strip()).isEqualTo("OK");
    }

    @Test
    void aCachedCopyIsReusedAndADamagedOneIsRebuilt() throws Exception {
        Path model = exported("all-minilm-l6-v2");
        RuntimeOptions runtime = RuntimeOptions.defaults().withDevice(Device.CPU);
        Path fusedFile;
        FusedModels.Loaded first = FusedModels.load(model, runtime, true, dir);
        first.model().close();
        fusedFile = first.file();
        assertThat(fusedFile.getParent()).isEqualTo(dir);
        try (Stream<Path> files = Files.list(dir)) {
            // only checked copies get the cache name; nothing temporary is left behind
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            fusedFile.getFileName().toString(),
                            fusedFile.getFileName() + ".txt",
                            fusedFile.getFileName().toString().replace(".onnx", FusedModels.SOURCES),
                            "index");
        }
        FileTime written = Files.getLastModifiedTime(fusedFile);
        FusedModels.Loaded again = FusedModels.load(model, runtime, true, dir);
        again.model().close();
        assertThat(again.file()).isEqualTo(fusedFile);
        assertThat(again.graph()).isEqualTo("fused (6 Attention, 12 SkipLayerNormalization)");
        assertThat(Files.getLastModifiedTime(fusedFile)).isEqualTo(written);

        Files.write(fusedFile, "not a model".getBytes(StandardCharsets.UTF_8));
        FusedModels.Loaded rebuilt = FusedModels.load(model, runtime, true, dir);
        try (OnnxModel original = OnnxModel.load(model, runtime);
                OnnxModel fused = rebuilt.model()) {
            assertThat(rebuilt.file()).isEqualTo(fusedFile);
            assertThat(Files.size(fusedFile)).isGreaterThan(80_000_000L);
            assertThat(FusedModels.mismatch(original, fused)).isNull();
        }
    }

    @Test
    void aGraphThatDoesNotMatchIsDeclinedOnceAndRunsAsExported() throws Exception {
        Path model = exported("all-minilm-l6-v2-q");
        RuntimeOptions runtime = RuntimeOptions.defaults().withDevice(Device.CPU);
        FusedModels.Loaded loaded = FusedModels.load(model, runtime, true, dir);
        loaded.model().close();
        assertThat(loaded.file()).isEqualTo(model);
        assertThat(loaded.graph()).startsWith("as exported (no self-attention block");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> left =
                    files.filter(f -> f.toString().endsWith(".declined")).toList();
            assertThat(left).hasSize(1);
            assertThat(Files.readString(left.get(0))).startsWith("no self-attention block");
            assertThat(Files.readString(Path.of(left.get(0).toString().replace(".declined", FusedModels.SOURCES))))
                    .isEqualTo(model.toAbsolutePath() + "\n");
        }
        FusedModels.Loaded again = FusedModels.load(model, runtime, true, dir);
        again.model().close();
        assertThat(again.graph()).isEqualTo(loaded.graph());
    }

    @Test
    void copiesOfFilesThatAreGoneArePrunedWhenTheNextCopyIsWritten() throws Exception {
        RuntimeOptions runtime = RuntimeOptions.defaults().withDevice(Device.CPU);
        Path cache = dir.resolve("cache");
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Path copy = Files.copy(exported("all-minilm-l6-v2"), folder.resolve("model.onnx"));
        FusedModels.Loaded first = FusedModels.load(copy, runtime, true, cache);
        first.model().close();
        assertThat(first.file().getParent()).isEqualTo(cache);
        assertThat(Files.readString(
                        cache.resolve(first.file().getFileName().toString().replace(".onnx", ".sources"))))
                .isEqualTo(copy.toAbsolutePath() + "\n");
        Files.delete(copy);
        Path dead = Files.writeString(cache.resolve("x.onnx.tmp-1-2"), "half a model");
        Files.setLastModifiedTime(dead, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
        Path live = Files.writeString(cache.resolve("y.onnx.tmp-3-4"), "being written");

        FusedModels.Loaded next = FusedModels.load(exported("all-minilm-l6-v2-q"), runtime, true, cache);
        next.model().close();

        try (Stream<Path> files = Files.list(cache)) {
            List<String> names = files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.equals("index"))
                    .sorted()
                    .toList();
            assertThat(names).hasSize(3);
            assertThat(names.get(0)).endsWith(".declined");
            assertThat(names.get(1)).endsWith(".sources");
            assertThat(Files.readString(cache.resolve(names.get(1)))).contains("all-minilm-l6-v2-q.onnx");
            assertThat(names.get(2)).isEqualTo(live.getFileName().toString());
        }
    }

    @Test
    void theProbeComparisonRefusesAGraphThatComputesSomethingElse() throws Exception {
        RuntimeOptions runtime = RuntimeOptions.defaults().withDevice(Device.CPU);
        try (OnnxModel minilm = OnnxModel.load(exported("all-minilm-l6-v2"), runtime);
                OnnxModel bge = OnnxModel.load(exported("bge-small-en-v1.5"), runtime)) {
            assertThat(FusedModels.mismatch(minilm, minilm)).isNull();
            assertThat(FusedModels.mismatch(minilm, bge)).startsWith("probe row 0 component 0 is ");
        }
    }

    @Test
    void fusionOffOrAnotherDeviceRunsTheFileAsExported() throws Exception {
        Path model = exported("all-minilm-l6-v2");
        FusedModels.Loaded off = FusedModels.load(model, RuntimeOptions.defaults(), false, dir);
        off.model().close();
        assertThat(off.file()).isEqualTo(model);
        assertThat(off.graph()).isEqualTo("as exported (fusion off)");
        FusedModels.Loaded coreml =
                FusedModels.load(model, RuntimeOptions.defaults().withDevice(Device.COREML), true, dir);
        coreml.model().close();
        assertThat(coreml.file()).isEqualTo(model);
        assertThat(coreml.graph()).isEqualTo("as exported (fusion is for the CPU execution provider only)");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void eightCopiesOfOneModelInDifferentFoldersShareOneFusedCopy() throws Exception {
        RuntimeOptions runtime = RuntimeOptions.defaults().withDevice(Device.CPU);
        Path cache = dir.resolve("cache");
        Path first = null;
        for (int i = 0; i < 8; i++) {
            Path folder = Files.createDirectories(dir.resolve("copy-" + i));
            Path copy = Files.copy(
                    exported("all-minilm-l6-v2"), folder.resolve(i % 2 == 0 ? "model.onnx" : "m" + i + ".onnx"));
            FusedModels.Loaded loaded = FusedModels.load(copy, runtime, true, cache);
            loaded.model().close();
            assertThat(loaded.graph()).startsWith("fused (");
            if (first == null) first = loaded.file();
            assertThat(loaded.file()).as("copy %d", i).isEqualTo(first);
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".onnx")))
                    .containsExactly(first.getFileName().toString());
        }
        assertThat(Files.readAllLines(Path.of(first.toString().replace(".onnx", FusedModels.SOURCES))))
                .hasSize(8);
        assertThat(first.getFileName().toString())
                .isEqualTo(Sha256.ofFile(exported("all-minilm-l6-v2")).substring(0, 32) + "-"
                        + FusedModels.FUSION_VERSION + ".onnx");
    }

    @Test
    void aChangedFileGetsANewKeyAndAnUnchangedOneIsNotHashedAgain() throws Exception {
        Path cache = dir.resolve("cache");
        Path model = Files.writeString(dir.resolve("m.onnx"), "first bytes");
        String before = FusedModels.key(model, cache);
        try (Stream<Path> index = Files.list(cache.resolve("index"))) {
            assertThat(index).hasSize(1);
        }
        assertThat(FusedModels.key(model, cache)).isEqualTo(before);
        Files.writeString(model, "other bytes");
        Files.setLastModifiedTime(model, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(FusedModels.key(model, cache)).isNotEqualTo(before);
    }
}
