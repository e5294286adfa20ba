package dev.onyx.embed;

import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the bundled model on a token id past its vocabulary (ONNX Runtime's Gather kernel fails and its native logger
 * reports it) and prints Onyx's one-line error; {@link NativeLogTest} reads what reached the terminal.
 */
public final class NativeLogOutput {
    private NativeLogOutput() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        try (OnnxModel model = OnnxModel.load(file, RuntimeOptions.defaults())) {
            model.run(Map.of(
                    "input_ids", Tensor.ofLongs(new long[] {999_999}, 1, 1),
                    "attention_mask", Tensor.ofLongs(new long[] {1}, 1, 1),
                    "token_type_ids", Tensor.ofLongs(new long[] {0}, 1, 1)));
            System.out.println("no error");
        } catch (RuntimeException e) {
            System.out.println("error: " + e.getMessage());
        }
    }
}
