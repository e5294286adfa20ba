package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.mcp.OnyxMcpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@code onyx mcp} as a real process with raw lines: junk (blank, not JSON, {@code {}}, {@code []}, batches,
 * wrong versions, wrong ids, wrong params, unknown tools) interleaved with valid requests. Every valid request must be
 * answered, every junk line must get JSON-RPC's error, and closing stdin must end the process with exit code 0 once
 * the last call has been answered.
 */
class McpJunkLinesProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyValidRequestIsAnsweredEveryJunkLineGetsItsErrorAndStdinCloseEndsTheProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), "dev.onyx.cli.Main", "mcp")
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        List<String> lines = List.of(
                "",
                "not json",
                "{}",
                "[]",
                "   ",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"junk-test\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}",
                "42",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"embed\","
                        + "\"arguments\":\"x\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":\"x\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"embed\","
                        + "\"arguments\":{\"texts\":[\"hello\"]}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"embed\","
                        + "\"arguments\":{\"texts\":[\"a\",\"\"]}}}",
                "{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"no/such/method\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\",\"params\":{\"name\":5}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"s-13\",\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"name\":\"embed\","
                        + "\"arguments\":{\"texts\":[\"the last call, in flight when stdin closes\"]}}}");
        try (OutputStream stdin = process.getOutputStream()) {
            for (String line : lines) {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        List<JsonNode> nullIdErrors = new ArrayList<>();
        Map<String, JsonNode> byId = new HashMap<>();
        long lastAnswer = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode message = JSON.readTree(line);
                assertThat(message.path("jsonrpc").asText()).as(line).isEqualTo("2.0");
                if (message.path("id").isNull()) {
                    nullIdErrors.add(message);
                } else {
                    assertThat(byId.put(message.path("id").asText(), message))
                            .as("one answer per id: " + line)
                            .isNull();
                    lastAnswer = System.nanoTime();
                }
            }
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("exits after stdin closes")
                .isTrue();
        double secondsAfterLastAnswer = (System.nanoTime() - lastAnswer) / 1e9;
        assertThat(process.exitValue()).isZero();

        // Junk without a readable id: not json, {}, [], the batch, 42, the boolean id; blank lines get no answer.
        assertThat(nullIdErrors)
                .extracting(e -> e.path("error").path("code").asInt())
                .containsExactly(-32700, -32600, -32600, -32600, -32600, -32600);
        assertThat(nullIdErrors.get(3).path("error").path("message").asText()).contains("batches");
        assertThat(nullIdErrors.get(5).path("error").path("message").asText()).contains("'id'");

        JsonNode init = byId.get("1").path("result");
        assertThat(init.path("serverInfo").path("name").asText()).isEqualTo("onyx");
        assertThat(init.path("serverInfo").path("version").asText())
                .isEqualTo(OnyxMcpServer.version())
                .isNotEqualTo("dev")
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(byId.get("3").path("result").path("tools").size()).isEqualTo(4);
        assertError(byId.get("4"), -32602, "unknown tool 'nope'");
        assertError(byId.get("5"), -32602, "'params.arguments' must be an object");
        assertError(byId.get("6"), -32602, "'params' must be an object");
        assertError(byId.get("12"), -32602, "'params.name'");
        assertError(byId.get("9"), -32600, "'jsonrpc' must be \"2.0\"");
        assertThat(byId.get("10").path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(byId.get("s-13").has("result")).isTrue();

        JsonNode embedded = byId.get("7").path("result");
        assertThat(embedded.path("isError").asBoolean()).isFalse();
        assertThat(embedded.path("structuredContent").path("vectors").get(0).size())
                .isEqualTo(384);
        JsonNode empty = byId.get("8").path("result");
        assertThat(empty.path("isError").asBoolean()).isTrue();
        assertThat(empty.path("content").get(0).path("text").asText())
                .isEqualTo("embed: 'texts[1]' is an empty string; every input needs at least one character");
        assertThat(byId.get("11")
                        .path("result")
                        .path("structuredContent")
                        .path("vectors")
                        .size())
                .as("the call in flight when stdin closed is answered")
                .isEqualTo(1);
        assertThat(byId).hasSize(12);
        // a figure for the record, not an assertion: timings on a shared machine are no test
        System.out.printf("onyx mcp exited %.2f s after its last answer%n", secondsAfterLastAnswer);
    }

    private static void assertError(JsonNode answer, int code, String message) {
        assertThat(answer).as("answered").isNotNull();
        assertThat(answer.path("error").path("code").asInt())
                .as(answer.toString())
                .isEqualTo(code);
        assertThat(answer.path("error").path("message").asText()).contains(message);
    }
}
