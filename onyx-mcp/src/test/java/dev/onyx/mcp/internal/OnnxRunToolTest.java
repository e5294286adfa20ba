package dev.onyx.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.RuntimeOptions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRunToolTest {
    @TempDir
    Path dir;

    private SyncToolSpecification tool(Path allowed) throws IOException {
        return new OnnxRunTool(
                        List.of(allowed), RuntimeOptions.defaults(), new ToolResults(McpJsonDefaults.getMapper()))
                .specification();
    }

    private static String call(SyncToolSpecification tool, Map<String, Object> arguments) {
        CallToolResult result = tool.callHandler().apply(null, new CallToolRequest("onnx_run", arguments));
        assertThat(result.isError()).isTrue();
        return ((TextContent) result.content().get(0)).text();
    }

    @Test
    void aLinkInsideTheAllowedDirectoryToAFileOutsideIsRefused() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path outside = Files.writeString(dir.resolve("outside.onnx"), "x");
        Files.createSymbolicLink(allowed.resolve("link.onnx"), outside);

        String message = call(tool(allowed), Map.of("path", "link.onnx", "inputs", Map.of()));

        assertThat(message).contains("onnx_run: path 'link.onnx (a link to").contains("is outside the allowed");
    }

    @Test
    void dotDotPathsCannotLeaveTheAllowedDirectory() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.writeString(dir.resolve("outside.onnx"), "x");

        assertThat(call(tool(allowed), Map.of("path", "../outside.onnx", "inputs", Map.of())))
                .contains("path '../outside.onnx' is outside the allowed directories [" + allowed.toRealPath() + "]");
    }

    @Test
    void aFileThatIsNotAModelIsAToolErrorNamingIt() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.writeString(allowed.resolve("broken.onnx"), "not a model");

        assertThat(call(tool(allowed), Map.of("path", "broken.onnx", "inputs", Map.of())))
                .contains("not an ONNX model: ")
                .contains("broken.onnx");
    }

    @Test
    void shapesMustBeArraysOfSizes() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.writeString(allowed.resolve("m.onnx"), "x");

        assertThat(call(
                        tool(allowed),
                        Map.of("path", "m.onnx", "inputs", Map.of(), "shapes", Map.of("x", List.of(2, -1)))))
                .contains("'shapes.x' must be an array of sizes >= 0, was [2, -1]");
    }

    @Test
    void anAllowedDirectoryThatDoesNotExistFailsAtStartup() {
        assertThatThrownBy(() -> tool(dir.resolve("nope")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("allowed directory not found");
    }
}
