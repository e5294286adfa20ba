package dev.onyx.embed.internal;

import dev.onyx.embed.Pooling;
import dev.onyx.onnx.TransformerFusion;
import dev.onyx.runtime.CacheDirectory;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an encoder on ONNX Runtime's fused transformer operators when its graph allows ({@link TransformerFusion}),
 * the file as exported otherwise. The fused copy is made once per model file and kept in
 * {@code <cache>/fused/}; before it is first used, both graphs embed the same probe batch (two sequences of different
 * lengths, so padding and the attention mask are exercised) and the fused one is kept only when they agree. A model
 * that does not match, or whose fused graph disagrees, gets a {@code .declined} marker (holding the reason) so later
 * opens go straight to the original. Fusion is for the CPU execution provider only: other providers may not implement
 * the contrib operators. Stateless, so thread-safe; concurrent first opens each write the same file atomically.
 */
public final class FusedModels {
    private static final Logger LOG = LoggerFactory.getLogger(FusedModels.class);
    /** Bump when the rewrite changes, so fused copies made by an older Onyx are rebuilt. */
    static final String FUSION_VERSION = "f1";

    /** Largest |fused - original| allowed per pooled component, relative to the row's largest component (≥ 1). */
    static final double TOLERANCE = 1e-4;

    private FusedModels() {}

    /**
     * An opened model and what it runs.
     *
     * @param model the open model; the caller closes it
     * @param file the ONNX file the session was built from (the fused copy or the original)
     * @param graph a one-line description: {@code "fused (…)"} or {@code "as exported (…why…)"}
     */
    public record Loaded(OnnxModel model, Path file, String graph) {}

    /** Opens {@code onnxFile}, fused when {@code fusion} is on, the device is the CPU and the graph matches. */
    public static Loaded load(Path onnxFile, RuntimeOptions runtime, boolean fusion) throws InvalidModelException {
        return load(onnxFile, runtime, fusion, CacheDirectory.onyx().resolve("fused"));
    }

    /** As {@link #load(Path, RuntimeOptions, boolean)}, keeping fused copies in {@code dir}. */
    static Loaded load(Path onnxFile, RuntimeOptions runtime, boolean fusion, Path dir) throws InvalidModelException {
        if (!fusion) {
            return original(onnxFile, runtime, "fusion off");
        }
        if (!runsOnCpu(runtime)) {
            return original(onnxFile, runtime, "fusion is for the CPU execution provider only");
        }
        String key;
        try {
            key = key(onnxFile);
        } catch (IOException e) {
            return original(onnxFile, runtime, "cannot read the model file's attributes: " + e.getMessage());
        }
        Path fused = dir.resolve(key + ".onnx");
        Path declined = dir.resolve(key + ".declined");
        if (Files.isRegularFile(fused)) {
            try {
                return new Loaded(OnnxModel.load(fused, runtime), fused, describe(fused));
            } catch (InvalidModelException | RuntimeException e) {
                LOG.warn("onyx: cached fused graph {} does not load ({}); rebuilding it", fused, e.getMessage());
                deleteQuietly(fused);
            }
        }
        if (Files.isRegularFile(declined)) {
            return original(onnxFile, runtime, firstLine(readQuietly(declined)));
        }
        return fuseAndCheck(onnxFile, fused, declined, runtime);
    }

    /**
     * Fuses into a temporary file and moves it to {@code fused} only once it has passed the probe check, so a copy in
     * the cache has always been checked (a process that dies in between leaves only a temporary file, pruned later).
     */
    private static Loaded fuseAndCheck(Path onnxFile, Path fused, Path declined, RuntimeOptions runtime)
            throws InvalidModelException {
        Path unchecked = fused.resolveSibling(
                fused.getFileName() + ".tmp-check-" + ProcessHandle.current().pid());
        TransformerFusion.Report report;
        try {
            Files.createDirectories(fused.getParent());
            report = TransformerFusion.fuse(onnxFile, unchecked);
        } catch (IOException | RuntimeException e) {
            LOG.debug("onyx: cannot fuse {} ({}); running the graph as exported", onnxFile, e.getMessage());
            return original(onnxFile, runtime, "fusion failed: " + e.getMessage());
        }
        pruneStale(fused.getParent(), unchecked);
        if (!report.fused()) {
            decline(declined, report.reason(), onnxFile);
            return original(onnxFile, runtime, report.reason());
        }
        OnnxModel original;
        try {
            original = OnnxModel.load(onnxFile, runtime);
        } catch (InvalidModelException | RuntimeException e) {
            deleteQuietly(unchecked);
            throw e;
        }
        String mismatch;
        OnnxModel candidate = null;
        try {
            candidate = OnnxModel.load(unchecked, runtime);
            mismatch = mismatch(original, candidate);
            if (mismatch == null) {
                Files.move(unchecked, fused, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | RuntimeException e) { // InvalidModelException is an IOException
            mismatch = "it does not load or run: " + e.getMessage();
        }
        if (mismatch == null) {
            writeQuietly(description(fused), summary(report) + "\n" + source(onnxFile));
            original.close();
            LOG.info("onyx: {} runs fused: {} (cached at {})", onnxFile.getFileName(), summary(report), fused);
            // the session read the file while it had its temporary name; the model is the same bytes
            return new Loaded(candidate, fused, "fused (" + summary(report) + ")");
        }
        if (candidate != null) candidate.close();
        deleteQuietly(unchecked);
        String reason = "fused graph rejected: " + mismatch;
        LOG.debug("onyx: {}; running {} as exported", reason, onnxFile);
        decline(declined, reason, onnxFile);
        return new Loaded(original, onnxFile, "as exported (" + reason + ")");
    }

    /**
     * Null when both models pool the probe batch to the same vectors within {@link #TOLERANCE}; else what differs.
     * Package-private for the test that feeds it a wrong graph.
     */
    static String mismatch(OnnxModel original, OnnxModel fused) throws InvalidModelException {
        List<long[]> probe = List.of(probeIds(24, 0), probeIds(11, 1));
        int[] batch = {0, 1};
        float[][] expected = new InferenceEngine(original, Pooling.MEAN, "original").runBatch(probe, batch);
        float[][] actual = new InferenceEngine(fused, Pooling.MEAN, "fused").runBatch(probe, batch);
        for (int row = 0; row < expected.length; row++) {
            double scale = 1;
            for (float x : expected[row]) scale = Math.max(scale, Math.abs(x));
            for (int d = 0; d < expected[row].length; d++) {
                double diff = Math.abs(expected[row][d] - actual[row][d]);
                if (!(diff <= TOLERANCE * scale)) {
                    return "probe row " + row + " component " + d + " is " + actual[row][d] + " fused vs "
                            + expected[row][d] + " as exported";
                }
            }
        }
        return null;
    }

    /** Token ids 1..999 (inside any real vocabulary), different per row. */
    private static long[] probeIds(int length, int row) {
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) ids[i] = 1 + (i * 7919L + row * 104_729L) % 999;
        return ids;
    }

    private static boolean runsOnCpu(RuntimeOptions runtime) {
        return runtime.device() == Device.CPU
                || (runtime.device() == Device.AUTO
                        && OnnxModel.availableDevices().stream().allMatch(d -> d == Device.CPU));
    }

    /** File name, size, modification time and a hash of the absolute path: a changed file gets a new copy. */
    static String key(Path onnxFile) throws IOException {
        Path absolute = onnxFile.toAbsolutePath().normalize();
        String name =
                absolute.getFileName().toString().replaceAll("\\.onnx$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        CRC32 path = new CRC32();
        path.update(absolute.toString().getBytes(StandardCharsets.UTF_8));
        return name + "-" + Long.toHexString(Files.size(absolute)) + "-"
                + Long.toHexString(Files.getLastModifiedTime(absolute).toMillis()) + "-"
                + Long.toHexString(path.getValue()) + "-" + FUSION_VERSION;
    }

    private static Loaded original(Path onnxFile, RuntimeOptions runtime, String why) throws InvalidModelException {
        return new Loaded(OnnxModel.load(onnxFile, runtime), onnxFile, "as exported (" + why + ")");
    }

    private static String summary(TransformerFusion.Report report) {
        return report.attentionBlocks() + " Attention, " + report.skipLayerNorms() + " SkipLayerNormalization";
    }

    private static Path description(Path fused) {
        return fused.resolveSibling(fused.getFileName() + ".txt");
    }

    private static String describe(Path fused) {
        String summary = firstLine(readQuietly(description(fused)));
        return "fused (" + (summary.isEmpty() ? "cached" : summary) + ")";
    }

    private static void decline(Path declined, String reason, Path onnxFile) {
        writeQuietly(declined, reason + "\n" + source(onnxFile));
    }

    private static String source(Path onnxFile) {
        return onnxFile.toAbsolutePath().normalize().toString();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /**
     * Deletes fused copies and markers whose original file (recorded on their second line) is gone or has changed
     * since: they can never be used again, and a fused copy is as large as its model. Runs before a new copy is
     * written, so the directory holds at most one entry per model file that still exists; temporary files older than
     * an hour (a writer that died) go too. {@code keep} is never touched.
     */
    static void pruneStale(Path dir, Path keep) {
        List<Path> records;
        List<Path> leftovers;
        try (var files = Files.list(dir)) {
            List<Path> all = files.toList();
            records = all.stream()
                    .filter(f -> {
                        String n = f.getFileName().toString();
                        return n.endsWith(".onnx.txt") || n.endsWith(".declined");
                    })
                    .toList();
            // temporary files of a writer that died mid-write (a live writer renames its file within seconds)
            long hourAgo = System.currentTimeMillis() - 3_600_000L;
            leftovers = all.stream()
                    .filter(f -> f.getFileName().toString().contains(".tmp-"))
                    .filter(f -> {
                        try {
                            return Files.getLastModifiedTime(f).toMillis() < hourAgo;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        } catch (IOException e) {
            return;
        }
        leftovers.forEach(FusedModels::deleteQuietly);
        for (Path record : records) {
            String name = record.getFileName().toString();
            String base = name.endsWith(".declined")
                    ? name.substring(0, name.length() - ".declined".length())
                    : name.substring(0, name.length() - ".onnx.txt".length());
            if (keep.getFileName().toString().equals(base + ".onnx")) continue;
            String text = readQuietly(record);
            int newline = text.indexOf('\n');
            if (newline < 0) continue; // written by an Onyx that did not record the source: leave it
            Path original = Path.of(text.substring(newline + 1).strip());
            boolean current;
            try {
                current = Files.isRegularFile(original) && key(original).equals(base);
            } catch (IOException | RuntimeException e) {
                current = false;
            }
            if (!current) {
                deleteQuietly(dir.resolve(base + ".onnx"));
                deleteQuietly(record);
            }
        }
    }

    private static void writeQuietly(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(
                    file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("onyx: cannot write {}: {}", file, e.getMessage());
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("onyx: cannot delete {}: {}", file, e.getMessage());
        }
    }
}
