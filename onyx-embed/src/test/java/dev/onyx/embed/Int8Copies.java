package dev.onyx.embed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Catalog models quantized once per test JVM (the test classes in one surefire fork share them), with fewer calibration
 * texts than the default so the suite stays fast; the folders are deleted when the JVM exits.
 */
final class Int8Copies {
    /** Calibration texts the tests use (the bundled sample's first ones). */
    static final int SAMPLES = 60;

    record Copy(Path folder, Quantization.Result result, List<String> progress) {}

    private static final Map<String, Copy> COPIES = new ConcurrentHashMap<>();
    private static Path root;

    private Int8Copies() {}

    static synchronized Copy of(String model) {
        Copy known = COPIES.get(model);
        if (known != null) return known;
        try {
            if (root == null) {
                root = Files.createTempDirectory("onyx-int8-test");
                Path dir = root;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            }
            Path folder = root.resolve(model + "-int8");
            List<String> progress = new ArrayList<>();
            Quantization.Result result = Quantization.quantize(
                    new ModelSource.Bundled(model),
                    folder,
                    Quantization.Options.defaults().withSamples(SAMPLES),
                    progress::add);
            Copy copy = new Copy(folder, result, List.copyOf(progress));
            COPIES.put(model, copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
