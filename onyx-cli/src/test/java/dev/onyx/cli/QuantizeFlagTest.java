package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.TinyEncoder;
import dev.onyx.server.EmbeddingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --quantize int8} on embed, info, serve and mcp: a tiny encoder is quantized once into a cache of the test's own
 * (progress on stderr), reused by the next commands, and reported as Onyx's int8; bad values and already-int8 models
 * are one-line errors.
 */
class QuantizeFlagTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void embedQuantizesOnFirstUseThenInfoAndServeReuseTheCopy() throws Exception {
        Path tiny = TinyEncoder.write(dir.resolve("tiny-encoder"));
        String previous = System.getProperty("onyx.cache.dir");
        System.setProperty("onyx.cache.dir", dir.resolve("cache").toString());
        try {
            CliRunner.Result embed = CliRunner.run("embed", "--model", tiny.toString(), "--quantize", "int8", "hello");
            assertThat(embed.exitCode()).as(embed.err()).isZero();
            assertThat(embed.err())
                    .contains("onyx: calibrated 200/200 texts", "onyx: cached the int8 copy of tiny-encoder");
            assertThat(JSON.readTree(embed.out().lines().findFirst().orElseThrow())
                                    .isArray()
                            || JSON.readTree(embed.out().lines().findFirst().orElseThrow())
                                    .isObject())
                    .isTrue();

            CliRunner.Result info = CliRunner.run("info", "--model", tiny + "?quantize=int8");
            assertThat(info.exitCode()).as(info.err()).isZero();
            assertThat(info.err()).as("a reused copy is not quantized again").doesNotContain("calibrated");
            JsonNode json = JSON.readTree(info.out());
            assertThat(json.path("precision").asText()).isEqualTo("int8");
            assertThat(json.path("quantization").path("by").asText()).isEqualTo("onyx");
            assertThat(json.path("quantization").path("method").asText()).isEqualTo("minmax");
            assertThat(json.path("quantization").path("calibration_texts").asInt())
                    .isEqualTo(200);
            assertThat(json.path("quantization").path("nodes_kept_fp32").isArray())
                    .isTrue();
            assertThat(json.path("source").asText())
                    .contains(dir.resolve("cache").resolve("int8").toString());

            CommandLine cli = Main.commandLine();
            ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> cli.execute("serve", "--port", "0", "--quantize", "int8", "--model", "tiny=" + tiny));
            while (serve.server() == null) {
                if (exit.isDone()) throw new AssertionError("serve exited early with " + exit.get());
                Thread.sleep(20);
            }
            EmbeddingServer server = serve.server();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/info"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).path("model_dtype").asText())
                        .isEqualTo("int8");
            } finally {
                server.close();
            }
            assertThat(exit.get()).isZero();
        } finally {
            if (previous == null) System.clearProperty("onyx.cache.dir");
            else System.setProperty("onyx.cache.dir", previous);
        }
    }

    @Test
    void infoOfTheShippedQuantizedModelSaysThirdPartyInt8() throws Exception {
        CliRunner.Result info = CliRunner.run("info", "--model", "all-minilm-l6-v2-q");
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode json = JSON.readTree(info.out());
        assertThat(json.path("precision").asText()).isEqualTo("int8");
        assertThat(json.path("quantization").path("by").asText()).isEqualTo("third-party");
        assertThat(json.path("quantization").path("detail").asText()).contains("MatMulInteger");

        CliRunner.Result fp32 = CliRunner.run("info");
        assertThat(JSON.readTree(fp32.out()).path("precision").asText()).isEqualTo("fp32");
        assertThat(JSON.readTree(fp32.out()).has("quantization")).isFalse();
    }

    @Test
    void aBadQuantizeValueIsAUsageErrorNamingTheAllowedOne() {
        for (String command : new String[] {"embed", "info", "serve", "mcp"}) {
            CliRunner.Result r = CliRunner.run(command, "--quantize", "int4");
            assertThat(r.exitCode()).as(command).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err().lines().findFirst().orElseThrow())
                    .as(command)
                    .contains("--quantize", "unknown quantization 'int4'; allowed: int8");
        }
    }

    @Test
    void quantizingAnInt8ModelIsAOneLineFailureNamingItsFp32Model() {
        CliRunner.Result r = CliRunner.run("embed", "--model", "all-minilm-l6-v2-q", "--quantize", "int8", "hi");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err())
                .contains("model all-minilm-l6-v2-q is already int8")
                .contains("its fp32 model is all-minilm-l6-v2");

        CliRunner.Result suffix = CliRunner.run("embed", "--model", "all-minilm-l6-v2?quantize=int4", "hi");
        assertThat(suffix.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(suffix.err()).contains("unknown quantization 'int4'; allowed: int8");
    }
}
