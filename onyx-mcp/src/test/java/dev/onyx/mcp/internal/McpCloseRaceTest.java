package dev.onyx.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.RuntimeOptions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP server's models closed while tool calls run (what {@code OnyxMcpServer.close()} does when the client goes
 * away mid-call): every {@code embed} call ends with a clean tool error, and {@code onnx_run} calls, which own the model
 * they load, keep answering. Before the close guard the shared session was freed under running {@code embed} calls.
 */
class McpCloseRaceTest {
    @TempDir
    Path dir;

    @Test
    void closingTheModelsUnderRunningToolCallsGivesCleanToolErrors() throws Exception {
        Embedder embedder = Embedder.open(ModelSource.defaultModel());
        Path allowed = Files.createDirectories(dir.resolve("models"));
        Files.copy(Path.of(embedder.info().runtimeFile()), allowed.resolve("minilm.onnx"));
        List<SyncToolSpecification> tools = ToolCatalog.tools(
                Map.of("minilm", embedder), List.of(allowed), RuntimeOptions.defaults(), McpJsonDefaults.getMapper());
        SyncToolSpecification embed = tool(tools, "embed");
        SyncToolSpecification onnxRun = tool(tools, "onnx_run");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) texts.add("text " + i + " about tool calls racing a close ".repeat(1 + i % 4));
        Map<String, Object> onnxArgs = Map.of(
                "path",
                "minilm.onnx",
                "inputs",
                Map.of(
                        "input_ids", List.of(List.of(101, 7592, 2088, 102)),
                        "attention_mask", List.of(List.of(1, 1, 1, 1)),
                        "token_type_ids", List.of(List.of(0, 0, 0, 0))));

        AtomicInteger embedCalls = new AtomicInteger();
        List<AtomicReference<String>> embedEndings = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(6);
        for (int t = 0; t < 6; t++) {
            AtomicReference<String> ending = new AtomicReference<>();
            embedEndings.add(ending);
            List<String> batch = t % 2 == 0 ? texts : texts.subList(t, t + 1);
            Thread thread = new Thread(() -> {
                started.countDown();
                while (true) {
                    CallToolResult result =
                            embed.callHandler().apply(null, new CallToolRequest("embed", Map.of("texts", batch)));
                    if (Boolean.TRUE.equals(result.isError())) {
                        ending.set(text(result));
                        return;
                    }
                    embedCalls.incrementAndGet();
                }
            });
            threads.add(thread);
            thread.start();
        }
        AtomicReference<String> onnxFailure = new AtomicReference<>();
        AtomicInteger onnxCalls = new AtomicInteger();
        Thread onnxThread = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                CallToolResult result = onnxRun.callHandler().apply(null, new CallToolRequest("onnx_run", onnxArgs));
                if (Boolean.TRUE.equals(result.isError())) {
                    onnxFailure.set(text(result));
                    return;
                }
                onnxCalls.incrementAndGet();
            }
        });
        onnxThread.start();
        started.await();
        while (embedCalls.get() < 3) Thread.sleep(5);

        embedder.close();

        for (Thread thread : threads) thread.join(15_000);
        onnxThread.join(30_000);
        assertThat(threads).noneMatch(Thread::isAlive);
        for (AtomicReference<String> ending : embedEndings) {
            assertThat(ending.get()).isEqualTo("embedder for all-minilm-l6-v2 is closed");
        }
        assertThat(onnxFailure.get()).isNull();
        assertThat(onnxCalls).hasValue(3);
    }

    private static SyncToolSpecification tool(List<SyncToolSpecification> tools, String name) {
        return tools.stream()
                .filter(t -> t.tool().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }
}
