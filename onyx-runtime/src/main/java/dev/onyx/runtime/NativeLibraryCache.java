package dev.onyx.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ONNX Runtime's native libraries extracted in Onyx's cache so that a start does not inflate ~22 MB from the jar
 * into a fresh temporary directory (what ONNX Runtime's Java loader does when {@code onnxruntime.native.path} is unset;
 * ~250 ms of every cold start on a 2-core machine). Thread-safe: {@link #prepare()} runs once per class loader. Any
 * failure leaves ONNX Runtime to its own loading.
 */
final class NativeLibraryCache {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryCache.class);
    private static final String PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of(
            "onnxruntime",
            "onnxruntime4j_jni",
            "onnxruntime_providers_shared",
            "onnxruntime_providers_cuda",
            "onnxruntime_providers_tensorrt");
    private static boolean prepared;

    private NativeLibraryCache() {}

    /** Points ONNX Runtime at the cached libraries (extracting them once), unless the user chose a path already. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty(PROPERTY) != null || Boolean.getBoolean("onyx.ort.noNativeCache")) {
            return;
        }
        try {
            Path dir = extract();
            if (dir != null) {
                System.setProperty(PROPERTY, dir.toString());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("not caching ONNX Runtime's native libraries: {}", e.toString());
        }
    }

    /** Extracts the platform's libraries once; returns their folder, or null when the jar has none for this platform. */
    private static Path extract() throws IOException {
        String folder = "ai/onnxruntime/native/" + platform() + "/";
        List<URL> urls = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long totalSize = 0;
        for (String library : LIBRARIES) {
            String name = System.mapLibraryName(library);
            URL url = NativeLibraryCache.class.getClassLoader().getResource(folder + name);
            if (url != null) {
                urls.add(url);
                names.add(name);
                totalSize += url.openConnection().getContentLengthLong();
            }
        }
        if (names.size() < 2) {
            return null; // no bundled JNI pair for this platform: ONNX Runtime will report it
        }
        // keyed by platform and total size, so a different ONNX Runtime version gets its own folder
        Path dir = CacheDirectory.onyx().resolve("onnxruntime-native").resolve(platform() + "-" + totalSize);
        for (int i = 0; i < names.size(); i++) {
            Path target = dir.resolve(names.get(i));
            long size = urls.get(i).openConnection().getContentLengthLong();
            if (!Files.isRegularFile(target) || Files.size(target) != size) {
                copy(urls.get(i), dir, target);
            }
        }
        return dir;
    }

    private static void copy(URL url, Path dir, Path target) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".part");
        try (InputStream in = url.openStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** ONNX Runtime's folder name for this platform, e.g. {@code linux-x64}, {@code osx-aarch64}, {@code win-x64}. */
    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("windows") ? "win" : os.startsWith("mac") ? "osx" : "linux";
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch;
        return osName + "-" + archName;
    }
}
