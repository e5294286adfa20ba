package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent oracle {@code onnx.checker.check_model(model, full_check=True)} from Debian's python3-onnx on
 * model files, many per python process; test helper, stateless.
 */
final class OnnxChecker {
    static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = String.join(
            "\n",
            "import sys, onnx",
            "bad = 0",
            "for path in sys.argv[1:]:",
            "    try:",
            "        onnx.checker.check_model(onnx.load(path), full_check=True)",
            "        print('OK ' + path)",
            "    except Exception as e:",
            "        bad += 1",
            "        print('FAIL ' + path + ': ' + str(e).replace(chr(10), ' '))",
            "sys.exit(1 if bad else 0)");

    private OnnxChecker() {}

    /** Checks every file with the real checker and fails the test, naming the files, if any is rejected. */
    static void assertValid(List<Path> files) {
        requireOnnxModule();
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", SCRIPT));
        files.forEach(f -> command.add(f.toString()));
        Result result = run(command);
        assertThat(result.output())
                .as("onnx.checker output")
                .doesNotContain("FAIL ")
                .contains("OK " + files.get(files.size() - 1));
        assertThat(result.exitCode())
                .as("onnx.checker exit code; output:%n%s", result.output())
                .isZero();
    }

    /** Runs the checker on one file and returns its verdict line (used to prove the oracle rejects bad models). */
    static String verdict(Path file) {
        requireOnnxModule();
        return run(List.of(PYTHON, "-c", SCRIPT, file.toString())).output().strip();
    }

    private static void requireOnnxModule() {
        Result probe = run(List.of(PYTHON, "-c", "import onnx"));
        if (probe.exitCode() != 0) {
            fail("the onnx.checker oracle is missing: '" + PYTHON + " -c \"import onnx\"' failed (" + probe.output()
                    + "); install it with: apt-get install -y python3-onnx");
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("onnx.checker did not finish within 5 minutes");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "cannot start " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running onnx.checker", e);
        }
    }
}
