package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Embedder embedder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        embedder = Embedder.open(ModelSource.defaultModel());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void positionalTextsGoToStdoutAsJsonLinesInOrder() throws Exception {
        CliRunner.Result r = CliRunner.run("embed", "first text", "second, longer text with more words");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode row = JSON.readTree(lines.get(i));
            assertThat(row.get("index").asInt()).isEqualTo(i);
            float[] expected = embedder.embed(i == 0 ? "first text" : "second, longer text with more words");
            for (int d = 0; d < expected.length; d++) {
                assertThat(row.get("embedding").get(d).floatValue()).isCloseTo(expected[d], within(1e-6f));
            }
        }
    }

    @Test
    void jsonlInputWithAFieldWritesANpyFileOfTheRightShape() throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"body\": \"alpha\"}\n\n{\"body\": \"beta gamma\"}\n{\"body\": \"\"}\n");
        Path output = dir.resolve("out/vectors.npy");
        CliRunner.Result r =
                CliRunner.run("embed", "--input", input.toString(), "--field", "body", "--output", output.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        float[][] vectors = readNpy(output);
        assertThat(vectors).hasNumberOfRows(3);
        assertThat(vectors[1]).containsExactly(embedder.embed("beta gamma"), within(1e-6f));
        assertThat(vectors[2]).containsExactly(embedder.embed(""), within(1e-6f));
    }

    @Test
    void plainTextInputIsOneTextPerLine() throws Exception {
        Path input = dir.resolve("in.txt");
        Files.writeString(input, "one\ntwo\nthree\n");
        Path output = dir.resolve("v.jsonl");
        CliRunner.Result r = CliRunner.run("embed", "--input", input.toString(), "--output", output.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllLines(output)).hasSize(3);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingJsonFieldFailsWithOneLineAndLeavesNoOutput() throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"text\": \"ok\"}\n{\"other\": 1}\n");
        Path output = dir.resolve("out.npy");
        CliRunner.Result r = CliRunner.run("embed", "--input", input.toString(), "--output", output.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("line 2 has no string field 'text'").doesNotContain("\tat ");
        assertThat(output).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("in.jsonl");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(CliRunner.run("embed", "--nope").exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("embed").err()).contains("no texts");
        CliRunner.Result device = CliRunner.run("embed", "--device", "tpu", "x");
        assertThat(device.exitCode()).isEqualTo(2);
        assertThat(device.err()).contains("auto, cpu, cuda, coreml, directml");
        assertThat(CliRunner.run("embed", "--input", "a.txt", "text").exitCode())
                .isEqualTo(2);
    }

    @Test
    void longTextErrorPolicyNamesTheInput() {
        CliRunner.Result r = CliRunner.run(
                "embed",
                "--long-text",
                "error",
                "--max-length",
                "8",
                "short",
                "this text has clearly more than eight tokens in it");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("input 1 has").contains("at most 8");
    }

    @Test
    void infoPrintsTheModelAsJson() throws Exception {
        CliRunner.Result r = CliRunner.run("info");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode info = JSON.readTree(r.out());
        assertThat(info.get("dimension").asInt()).isEqualTo(384);
        assertThat(info.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(info.get("device").asText()).isEqualTo("cpu");
        assertThat(info.get("health").get("healthy").asBoolean()).isTrue();
        assertThat(info.get("graph").asText()).isEqualTo("fused (6 Attention, 12 SkipLayerNormalization)");
        assertThat(info.get("runtime_file").asText()).endsWith(".onnx");
    }

    @Test
    void noGraphFusionRunsTheFileAsExported() throws Exception {
        CliRunner.Result r = CliRunner.run("info", "--no-graph-fusion");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode info = JSON.readTree(r.out());
        assertThat(info.get("graph").asText()).isEqualTo("as exported (fusion off)");
        assertThat(info.get("runtime_file").asText()).endsWith("all-minilm-l6-v2.onnx");
    }

    static float[][] readNpy(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = buffer.getShort(8);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat((10 + headerLength) % 64).isZero();
        assertThat(header).contains("'descr': '<f4'");
        var m = java.util.regex.Pattern.compile("\\((\\d+), (\\d+)\\)").matcher(header);
        assertThat(m.find()).isTrue();
        int rows = Integer.parseInt(m.group(1));
        int dim = Integer.parseInt(m.group(2));
        buffer.position(10 + headerLength);
        float[][] out = new float[rows][dim];
        for (float[] row : out) for (int d = 0; d < dim; d++) row[d] = buffer.getFloat();
        assertThat(buffer.remaining()).isZero();
        return out;
    }

    @Test
    void anOutputThatIsAFolderFailsInOneLineBeforeAnyWorkAndLeavesNothing() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("vectors"));
        CliRunner.Result r = CliRunner.run("embed", "--output", folder.toString(), "hello");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip())
                .isEqualTo("onyx: --output " + folder + " is a folder; give a file path such as "
                        + folder.resolve("vectors.npy") + " (.npy, or JSON lines otherwise)");
        assertThat(dir.toFile().list()).containsExactly("vectors");
        assertThat(folder.toFile().list()).isEmpty();
    }

    @Test
    void aRunThatFailsAfterOpeningTheOutputLeavesNoPartialFile() throws Exception {
        Path output = dir.resolve("out.npy");
        CliRunner.Result r = CliRunner.run("embed", "--dimensions", "999", "--output", output.toString(), "a", "b");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("dimensions 999 is more than model");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void aFolderWeCannotWriteIsNamedWithTheTargetAndTheOsReason() {
        // sysfs refuses new files even to root, so this holds however the tests are run
        Path output = Path.of("/sys/onyx-test-" + ProcessHandle.current().pid() + ".npy");
        CliRunner.Result r = CliRunner.run("embed", "--output", output.toString(), "hello");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("onyx: cannot write --output " + output + ": Permission denied");
    }

    @Test
    void partialFileNamesCarryTheirProcess() {
        assertThat(VectorWriter.partialPid(".v.npy.onyx-partial-1234")).isEqualTo(1234L);
        assertThat(VectorWriter.partialPid(".v.npy.onyx-partial-1234-2")).isEqualTo(1234L);
        assertThat(VectorWriter.partialPid("v.npy.onyx-partial-1234")).isNull();
        assertThat(VectorWriter.partialPid(".v.npy.onyx-partial-x")).isNull();
        assertThat(VectorWriter.partialPid(".notes.txt")).isNull();
    }
}
