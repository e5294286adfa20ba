package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeLibraryCacheTest {
    @Test
    void onnxRuntimeLoadsItsLibrariesFromOnyxsCache() throws Exception {
        try (OnnxModel model = OnnxModel.load(Path.of("src/test/resources/tiny.onnx"), RuntimeOptions.defaults())) {
            assertThat(model.inputs()).isNotEmpty();
        }

        Path dir = Path.of(System.getProperty("onnxruntime.native.path"));
        assertThat(dir).startsWith(CacheDirectory.onyx().resolve("onnxruntime-native"));
        assertThat(Files.size(dir.resolve(System.mapLibraryName("onnxruntime"))))
                .isGreaterThan(1_000_000);
        assertThat(dir.resolve(System.mapLibraryName("onnxruntime4j_jni"))).isRegularFile();
    }
}
