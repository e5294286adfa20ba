package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Precision;
import dev.onyx.embed.QuantizedEmbeddings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onyx embed --prompt/--dimensions/--precision} and {@code onyx pull} (offline, on a prepared cache). */
class ModelCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final List<String> TEXTS = List.of("alpha", "beta gamma", "delta epsilon zeta");
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
    void ubinaryNpyHoldsPackedSignBitsAsUnsignedBytes() throws Exception {
        Path output = dir.resolve("bits.npy");
        List<String> args = new ArrayList<>(List.of("embed", "--precision", "ubinary", "--output", output.toString()));
        args.addAll(TEXTS);

        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.err()).isZero();
        byte[] bytes = Files.readAllBytes(output);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).contains("'descr': '|u1'").contains("'shape': (3, 48)");
        QuantizedEmbeddings expected = QuantizedEmbeddings.of(embedder.embed(TEXTS), Precision.UBINARY);
        for (int i = 0; i < 3; i++) {
            int offset = 10 + headerLength + i * 48;
            assertThat(Arrays.copyOfRange(bytes, offset, offset + 48)).containsExactly(expected.bytes(i));
        }
        assertThat(bytes.length).isEqualTo(10 + headerLength + 3 * 48);
    }

    @Test
    void int8JsonLinesUseRangesFromAllInputsAfterCuttingDimensions() throws Exception {
        List<String> args = new ArrayList<>(List.of("embed", "--precision", "int8", "--dimensions", "32"));
        args.addAll(TEXTS);

        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.err()).isZero();
        Embeddings cut = embedder.embed(TEXTS, EmbedRequest.defaults().withDimensions(32));
        QuantizedEmbeddings expected = QuantizedEmbeddings.of(cut, Precision.INT8);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode embedding = JSON.readTree(lines.get(i)).get("embedding");
            int[] values = new int[embedding.size()];
            for (int d = 0; d < values.length; d++) values[d] = embedding.get(d).asInt();
            assertThat(values).containsExactly(expected.values(i));
        }
    }

    @Test
    void aPromptIsPrependedAndAnUnknownPromptNameIsAFailure() throws Exception {
        CliRunner.Result prompted = CliRunner.run("embed", "--prompt", "query: ", "alpha");
        float[] expected = embedder.embed("query: alpha");
        JsonNode embedding = JSON.readTree(prompted.out()).get("embedding");
        assertThat(embedding.get(0).floatValue()).isEqualTo(expected[0]);

        CliRunner.Result unknown = CliRunner.run("embed", "--prompt-name", "query", "alpha");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no prompt named 'query'").contains("none");
    }

    @Test
    void badPrecisionAndVariantAreUsageOrModelErrorsNamingTheAllowed() {
        CliRunner.Result precision = CliRunner.run("embed", "--precision", "fp16", "x");
        assertThat(precision.exitCode()).isEqualTo(2);
        assertThat(precision.err()).contains("[float32, int8, uint8, binary, ubinary]");

        CliRunner.Result variant = CliRunner.run("embed", "--variant", "O4", "x");
        assertThat(variant.exitCode()).isEqualTo(1);
        assertThat(variant.err()).contains("no variant 'O4'");
    }

    @Test
    void pullOfflineFindsACachedSnapshotAndEmbedLoadsItByRepositoryId() throws Exception {
        Path hfHome = dir.resolve("hf");
        Path repo = hfHome.resolve("hub/models--acme--minilm");
        Path snapshot = repo.resolve("snapshots").resolve(COMMIT);
        copyResource("all-minilm-l6-v2-tokenizer.json", snapshot.resolve("tokenizer.json"));
        copyResource("all-minilm-l6-v2.onnx", snapshot.resolve("onnx/model.onnx"));
        Files.writeString(snapshot.resolve("sentence_bert_config.json"), "{\"max_seq_length\":256}");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        Map<String, String> env = Map.of("HF_HOME", hfHome.toString(), "HF_HUB_OFFLINE", "1");

        Process pull = run(env, "pull", "acme/minilm");
        assertThat(stdout(pull).strip()).isEqualTo(snapshot.toString());
        assertThat(pull.exitValue()).isZero();

        Process embed = run(env, "embed", "--model", "acme/minilm", "alpha");
        JsonNode row = JSON.readTree(stdout(embed));
        assertThat(embed.exitValue()).isZero();
        assertThat(row.get("embedding").get(5).floatValue()).isEqualTo(embedder.embed("alpha")[5]);

        Process missing = run(env, "pull", "acme/minilm", "--variant", "quantized");
        String err = new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(missing.waitFor()).isEqualTo(1);
        assertThat(err)
                .contains("HF_HUB_OFFLINE")
                .contains(snapshot.resolve("onnx/model_quantized.onnx").toString());
    }

    private static void copyResource(String name, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        try (InputStream in = ModelCommandsTest.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, target);
        }
    }

    /** Runs the CLI in a child JVM, so it sees {@code env} as its environment. */
    private static Process run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.onyx.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String stdout(Process process) throws Exception {
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
