package dev.onyx.embed.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Quantization;
import dev.onyx.onnx.GraphCensus;
import dev.onyx.runtime.CacheDirectory;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Onyx's int8 copies of fp32 models ({@link ModelSource.Quantized}), made on first use with {@link Quantization}'s
 * defaults and kept in {@code <cache>/int8/<key>/} (a sentence-transformers folder). The key is the fp32 file's SHA-256
 * and a fingerprint of the quantizer (its class files, its bundled calibration and probe texts, its default settings),
 * so a changed model or a changed quantizer gets a new copy and nothing stale is reused.
 *
 * <p>A copy is written under a temporary name, passes {@link Quantization}'s quality gate there, gets a manifest (size
 * and SHA-256 of every file) and is then renamed into place, so the key's folder is always complete. Every use checks
 * it against the manifest; a damaged copy is removed and rebuilt. A cross-process file lock ({@code <key>.lock}) plus a
 * lock per key inside the JVM makes concurrent first uses quantize once: the others wait and reuse. A model the gate
 * refuses gets a {@code <key>.refused} marker with the reason, so later uses fail at once (delete it to retry).
 * Stateless apart from a counter for tests; thread-safe.
 */
public final class Int8Cache {
    static final String MANIFEST = "onyx-int8-cache.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    /** Quantizations this JVM has run (tests read it: a reused copy does not count). */
    static final AtomicInteger QUANTIZATIONS = new AtomicInteger();

    /** What the quantizer's output depends on; a change in any of them changes the key. */
    private static final List<String> QUANTIZER_PARTS = List.of(
            "/dev/onyx/onnx/Quantizer.class",
            "/dev/onyx/onnx/ActivationStatistics.class",
            "/dev/onyx/onnx/CalibrationMethod.class",
            "/dev/onyx/onnx/internal/Int8Rewrite.class",
            "/dev/onyx/onnx/internal/Int8Math.class",
            "/dev/onyx/onnx/TransformerFusion.class",
            "/dev/onyx/embed/Quantization.class",
            "/dev/onyx/embed/internal/Int8Folder.class",
            "/dev/onyx/embed/internal/Int8Calibration.class",
            "/dev/onyx/embed/quantization/calibration.txt",
            "/dev/onyx/embed/quantization/probe.txt");

    private static volatile String fingerprint;

    private Int8Cache() {}

    /** The folder holding the copies. */
    public static Path directory() {
        return CacheDirectory.onyx().resolve("int8");
    }

    /**
     * The int8 copy of {@code source.fp32()}, made now when the cache has no intact one.
     *
     * @param progress receives one-line messages (calibration progress, waiting for another process, rebuilds)
     * @throws OnyxException when the model is already int8, or the quality gate refuses its int8 copy
     * @throws IOException when the model cannot be read or the cache cannot be written
     */
    public static Path ensure(ModelSource.Quantized source, Consumer<String> progress) throws IOException {
        return ensure(source, progress, directory());
    }

    static Path ensure(ModelSource.Quantized source, Consumer<String> progress, Path dir) throws IOException {
        ModelDescriptor fp32 = ModelSources.resolve(source.fp32());
        String key = key(fp32.onnxFile(), dir);
        Path target = dir.resolve(key);
        Files.createDirectories(dir);
        Object jvmLock = JVM_LOCKS.computeIfAbsent(key, k -> new Object());
        synchronized (jvmLock) {
            try (FileChannel channel = FileChannel.open(
                            dir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFor(channel, fp32.name(), progress)) {
                if (Files.isDirectory(target)) {
                    String damage = damage(target);
                    if (damage == null) {
                        StaleInt8Copies.touch(dir.resolve(key + ".lock")); // in use: another build's prune leaves it
                        return target;
                    }
                    progress.accept(
                            "onyx: the cached int8 copy " + target + " is damaged (" + damage + "); rebuilding it");
                    discard(target, dir);
                }
                Path refused = dir.resolve(key + ".refused");
                if (Files.isRegularFile(refused)) {
                    throw new OnyxException(Files.readString(refused).strip() + " (remembered in " + refused
                            + "; delete it to try again)");
                }
                refuseInt8(fp32);
                return build(source, fp32, key, target, refused, progress);
            }
        }
    }

    private static FileLock lockFor(FileChannel channel, String model, Consumer<String> progress) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock != null) return lock;
        progress.accept("onyx: waiting for another process that is quantizing " + model);
        return channel.lock();
    }

    private static Path build(
            ModelSource.Quantized source,
            ModelDescriptor fp32,
            String key,
            Path target,
            Path refused,
            Consumer<String> progress)
            throws IOException {
        Path dir = target.getParent();
        pruneLeftovers(dir);
        StaleInt8Copies.prune(dir, StaleInt8Copies.MIN_AGE, Instant.now()); // another quantizer's copies
        Path work = dir.resolve(key + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            QUANTIZATIONS.incrementAndGet();
            Quantization.Result result;
            try {
                result = Quantization.quantize(source.fp32(), work, Quantization.Options.defaults(), progress);
            } catch (Quantization.QualityGateException e) {
                writeAtomically(refused, e.getMessage());
                throw e;
            }
            writeManifest(work, fp32, key);
            String damage = damage(work);
            if (damage != null) {
                throw new IOException("the int8 copy written to " + work + " does not read back: " + damage);
            }
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            progress.accept(String.format(
                    "onyx: cached the int8 copy of %s in %s (%.1f s; probe cosine vs fp32 worst %.5f)",
                    fp32.name(), target, result.millis() / 1000.0, result.worstCosine()));
            return target;
        } finally {
            deleteTree(work);
        }
    }

    /** An already-int8 model is refused: quantizing it again would only lose more. */
    private static void refuseInt8(ModelDescriptor fp32) throws IOException {
        GraphCensus census = GraphCensus.of(fp32.onnxFile());
        if (!census.int8()) return;
        String name = fp32.name();
        String hint = name.endsWith("-q") && Catalog.contains(name.substring(0, name.length() - 2))
                ? "; its fp32 model is " + name.substring(0, name.length() - 2)
                : "";
        throw new OnyxException("model " + name + " is already int8 (its graph runs " + census.int8Operators()
                + "); quantize int8 applies to fp32 models: drop it" + hint);
    }

    /**
     * The key: the first 32 hex digits of the model file's SHA-256 and 12 of the quantizer's fingerprint. The file's
     * digest is remembered in {@code <dir>/index/} per path, size and modification time, as for fused copies.
     */
    static String key(Path onnxFile, Path dir) throws IOException {
        Path entry = dir.resolve("index").resolve(FusedModels.statKey(onnxFile));
        String sha = readQuietly(entry);
        if (!sha.matches("[0-9a-f]{64}")) {
            sha = Sha256.ofFile(onnxFile);
            writeAtomically(entry, sha);
        }
        return sha.substring(0, 32) + "-int8-" + fingerprint().substring(0, 12);
    }

    /** SHA-256 over the quantizer's parts and default settings. */
    static String fingerprint() {
        String known = fingerprint;
        if (known != null) return known;
        MessageDigest digest = sha256();
        for (String part : QUANTIZER_PARTS) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Int8Cache.class.getResourceAsStream(part)) {
                digest.update(in == null ? new byte[] {0} : in.readAllBytes());
            } catch (IOException e) {
                throw new OnyxException("cannot read " + part + " from Onyx's own jar: " + e.getMessage());
            }
        }
        Quantization.Options defaults = Quantization.Options.defaults();
        digest.update((defaults.settings() + "|" + defaults.samples() + "|" + defaults.minCosine())
                .getBytes(StandardCharsets.UTF_8));
        known = HexFormat.of().formatHex(digest.digest());
        fingerprint = known;
        return known;
    }

    private static void writeManifest(Path work, ModelDescriptor fp32, String key) throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("key", key);
        manifest.put("source", fp32.name());
        manifest.put("source_file", fp32.onnxFile().toAbsolutePath().toString());
        manifest.put("quantizer", fingerprint());
        manifest.put("created", Instant.now().toString());
        manifest.put("pid", ProcessHandle.current().pid());
        ObjectNode files = manifest.putObject("files");
        for (Path file : files(work)) {
            ObjectNode entry = files.putObject(work.relativize(file).toString().replace('\\', '/'));
            entry.put("size", Files.size(file));
            entry.put("sha256", Sha256.ofFile(file));
        }
        JSON.writeValue(work.resolve(MANIFEST).toFile(), manifest);
    }

    /** Null when {@code folder} matches its manifest; else what is wrong. */
    static String damage(Path folder) {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(folder.resolve(MANIFEST).toFile());
        } catch (IOException e) {
            return "no readable " + MANIFEST + ": " + e.getMessage();
        }
        JsonNode files = manifest.path("files");
        if (!files.isObject() || !files.has("model.onnx")) {
            return MANIFEST + " lists no model.onnx";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Path file = folder.resolve(entry.getKey());
            try {
                if (!Files.isRegularFile(file)) return entry.getKey() + " is missing";
                if (Files.size(file) != entry.getValue().path("size").asLong(-1)) {
                    return entry.getKey() + " has " + Files.size(file) + " bytes, not "
                            + entry.getValue().path("size").asLong(-1);
                }
                if (!Sha256.ofFile(file).equals(entry.getValue().path("sha256").asText())) {
                    return entry.getKey() + " does not match its SHA-256";
                }
            } catch (IOException | RuntimeException e) {
                return entry.getKey() + " cannot be read: " + e.getMessage();
            }
        }
        return null;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(MANIFEST))
                    .sorted()
                    .toList();
        }
    }

    /** Moves a damaged copy aside (one rename, so no reader sees half a folder), then deletes it. */
    private static void discard(Path target, Path dir) throws IOException {
        Path aside = dir.resolve(
                target.getFileName() + ".tmp-damaged-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(aside);
    }

    /** Temporary folders and files a process left when it died (a live writer finishes within minutes). */
    private static void pruneLeftovers(Path dir) {
        long dayAgo = System.currentTimeMillis() - 24 * 3_600_000L;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().contains(".tmp-")) continue;
                try {
                    if (Files.getLastModifiedTime(entry).toMillis() < dayAgo) deleteTree(entry);
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            // nothing to prune
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(
                file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: the leftover is named .tmp- and pruned later
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
