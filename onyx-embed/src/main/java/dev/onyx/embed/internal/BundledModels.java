package dev.onyx.embed.internal;

import dev.onyx.runtime.InvalidModelException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;

/**
 * Resolves catalog models carried by jars on the classpath; stateless, so thread-safe.
 *
 * <p>ONNX Runtime loads models from files, so the carried ONNX file is extracted once into Onyx's cache directory
 * (written to a temporary file and moved into place atomically) and reused by later starts while its size matches the
 * jar entry's. The tokenizer is read straight from the jar.
 */
public final class BundledModels {
    private BundledModels() {}

    public static ModelDescriptor resolve(Catalog.Entry entry) throws IOException {
        URL onnx = resource(entry, entry.onnxResource());
        resource(entry, entry.tokenizerResource());
        Path file = extract(entry, onnx);
        return new ModelDescriptor(
                entry.name(),
                entry.carrier(),
                file,
                null,
                entry.tokenizerResource(),
                entry.pooling(),
                entry.normalize(),
                entry.maxTokens(),
                OptionalInt.empty());
    }

    private static URL resource(Catalog.Entry entry, String name) throws InvalidModelException {
        URL url = BundledModels.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new InvalidModelException("model " + entry.name() + " needs '" + name + "' from the jar "
                    + entry.carrier() + " on the classpath (add it as a dependency, excluding its transitive ones)");
        }
        return url;
    }

    private static Path extract(Catalog.Entry entry, URL onnx) throws IOException {
        URLConnection connection = onnx.openConnection();
        long size = connection.getContentLengthLong();
        if ("file".equals(onnx.getProtocol())) {
            try {
                return Path.of(onnx.toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IOException("bad resource URL " + onnx, e);
            }
        }
        Path dir =
                OnyxCache.directory().resolve("bundled").resolve(entry.carrier().replace(':', '_'));
        Path target = dir.resolve(entry.onnxResource());
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            return target;
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, entry.onnxResource(), ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }
}
