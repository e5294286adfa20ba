package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's native log lines stay off stderr unless asked for; the error itself is one line. */
class NativeLogTest {
    @TempDir
    Path dir;

    private Path model() throws Exception {
        Path model = dir.resolve("model.onnx");
        FolderModelTest.copyResource("all-minilm-l6-v2.onnx", model);
        return model;
    }

    @Test
    void aKernelErrorPrintsOnlyOnyxsOneLineMessage() throws Exception {
        EmbedderCloseRaceTest.ProcessResult result =
                EmbedderCloseRaceTest.runJava(NativeLogOutput.class, model().toString());
        assertThat(result.output())
                .contains("error: running ")
                .contains("indices element out of data bounds, idx=999999")
                .doesNotContain("\u001b[")
                .doesNotContain("[E:onnxruntime");
        assertThat(result.output().strip().lines()).hasSize(1);
    }

    @Test
    void onyxOrtLogLevelTurnsTheNativeLogBackOn() throws Exception {
        EmbedderCloseRaceTest.ProcessResult result = EmbedderCloseRaceTest.runJava(
                List.of("-Donyx.ort.logLevel=error"), NativeLogOutput.class, model().toString());
        assertThat(result.output()).contains("[E:onnxruntime").contains("error: running ");
    }
}
