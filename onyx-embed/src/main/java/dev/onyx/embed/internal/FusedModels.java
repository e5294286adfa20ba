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
 * the file as exported otherwise. The fused copy is made once per model content (identical files in different folders
 * share one, keyed by SHA-256) and kept in {@code <cache>/fused/}; before it is first used, both graphs embed the same probe batch (two sequences of different
 * lengths, so padding and the attention mask are exercised) and the fused one is kept only when they agree. A model
 * that does not match, or whose fused graph disagrees, gets a {@code .declined} marker (holding the reason) so later
 * opens go straight to the original. Fusion is for the CPU execution provider only: other providers may not implement
 * the contrib operators. Stateless, so thread-safe; concurrent first opens each write the same file atomically. The
 * first fused open in a process also prunes what an older Onyx's naming left behind ({@link LegacyFusedCopies}).
 */
public final class FusedModels {
    private static final Logger LOG = LoggerFactory.getLogger(FusedModels.class);
    /** Bump when the rewrite changes, so fused copies made by an older Onyx are rebuilt. */
    static final String FUSION_VERSION = "f1";

    /** Largest |fused - original| allowed per pooled component, relative to the row's largest component (≥ 1). */
    static final double TOLERANCE = 1e-4;

    /** Suffix of the file listing the model files that use a key. */
    static final String SOURCES = ".sources";

    private static final java.util.regex.Pattern CONTENT_KEY = java.util.regex.Pattern.compile("[0-9a-f]{32}-f\\w+");

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
        LegacyFusedCopies.pruneOnce(dir);
        String key;
        try {
            key = key(onnxFile, dir);
        } catch (IOException e) {
            return original(onnxFile, runtime, "cannot read the model file's attributes: " + e.getMessage());
        }
        Path fused = dir.resolve(key + ".onnx");
        Path declined = dir.resolve(key + ".declined");
        recordSource(dir.resolve(key + SOURCES), onnxFile);
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
            writeQuietly(description(fused), summary(report));
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

    /**
     * The cache key of a model file: the SHA-256 of its bytes (first 32 hex digits) and the fusion version, so identical
     * models in different folders share one fused copy and a changed file gets a new one. The digest is remembered in
     * {@code <dir>/index/} per path, size and modification time, so a file is hashed once, not on every open.
     */
    static String key(Path onnxFile, Path dir) throws IOException {
        return contentSha256(onnxFile, dir.resolve("index")).substring(0, 32) + "-" + FUSION_VERSION;
    }

    private static String contentSha256(Path onnxFile, Path index) throws IOException {
        Path entry = index.resolve(statKey(onnxFile));
        String known = readQuietly(entry);
        if (known.matches("[0-9a-f]{64}")) {
            return known;
        }
        String sha;
        try {
            sha = Sha256.ofFile(onnxFile);
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + onnxFile + ": " + e.getMessage(), e);
        }
        writeQuietly(entry, sha);
        return sha;
    }

    /** File name, size, modification time and a hash of the absolute path: what identifies a file without reading it. */
    static String statKey(Path onnxFile) throws IOException {
        Path absolute = onnxFile.toAbsolutePath().normalize();
        String name =
                absolute.getFileName().toString().replaceAll("\\.onnx$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        CRC32 path = new CRC32();
        path.update(absolute.toString().getBytes(StandardCharsets.UTF_8));
        return name + "-" + Long.toHexString(Files.size(absolute)) + "-"
                + Long.toHexString(Files.getLastModifiedTime(absolute).toMillis()) + "-"
                + Long.toHexString(path.getValue());
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
        writeQuietly(declined, reason.replace('\n', ' '));
    }

    /**
     * Adds {@code onnxFile} to the files that use a key (one absolute path a line), so the copy is pruned only when none
     * of them is left. Records and markers hold a single line, which an older Onyx's pruning leaves alone.
     */
    private static void recordSource(Path sources, Path onnxFile) {
        String source = source(onnxFile);
        if (readQuietly(sources).lines().anyMatch(source::equals)) return;
        try {
            Files.createDirectories(sources.getParent());
            Files.writeString(
                    sources,
                    source + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.debug("onyx: cannot write {}: {}", sources, e.getMessage());
        }
    }

    private static String source(Path onnxFile) {
        return onnxFile.toAbsolutePath().normalize().toString();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /**
     * Deletes fused copies and markers none of whose model files (listed in {@code <key>.sources}) still exists with the
     * same content: they can never be used again, and a fused copy is as large as its model. Runs before a new copy is
     * written; temporary files older than an hour (a writer that died) go too. {@code keep} is never touched, nor are
     * entries in an older Onyx's naming (see {@link LegacyFusedCopies}).
     *
     * @return what was deleted
     */
    public static List<Path> pruneStale(Path dir, Path keep) {
        List<Path> deleted = new java.util.ArrayList<>();
        List<Path> sourceLists;
        List<Path> leftovers;
        try (var files = Files.list(dir)) {
            List<Path> all = files.toList();
            sourceLists = all.stream()
                    .filter(f -> f.getFileName().toString().endsWith(SOURCES))
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
            return deleted;
        }
        leftovers.forEach(f -> deleteQuietly(f, deleted));
        for (Path list : sourceLists) {
            String name = list.getFileName().toString();
            String base = name.substring(0, name.length() - SOURCES.length());
            if (!CONTENT_KEY.matcher(base).matches()) continue;
            if (keep.getFileName().toString().startsWith(base + ".onnx")) continue;
            boolean used = readQuietly(list)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .anyMatch(line -> {
                        try {
                            Path original = Path.of(line);
                            return Files.isRegularFile(original)
                                    && key(original, dir).equals(base);
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    });
            if (!used) {
                for (String suffix : List.of(".onnx", ".onnx.txt", ".declined", SOURCES)) {
                    deleteQuietly(dir.resolve(base + suffix), deleted);
                }
            }
        }
        return deleted;
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

    private static void deleteQuietly(Path file, List<Path> deleted) {
        try {
            if (Files.deleteIfExists(file)) deleted.add(file);
        } catch (IOException e) {
            LOG.debug("onyx: cannot delete {}: {}", file, e.getMessage());
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
