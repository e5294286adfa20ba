package dev.onyx.mcp.internal;

import dev.onyx.runtime.OnyxException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Builds tool results: the value as JSON text plus the same value as structured content; stateless and thread-safe. */
final class ToolResults {
    private final McpJsonMapper json;

    ToolResults(McpJsonMapper json) {
        this.json = json;
    }

    CallToolResult success(Map<String, Object> value) {
        try {
            return CallToolResult.builder()
                    .addTextContent(json.writeValueAsString(value))
                    .structuredContent(value)
                    .isError(false)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("a tree of plain values always serializes", e);
        }
    }

    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    static CallToolResult error(OnyxException e) {
        return error(e.getMessage());
    }
}
