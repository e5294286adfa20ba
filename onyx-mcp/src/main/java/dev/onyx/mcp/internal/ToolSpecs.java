package dev.onyx.mcp.internal;

import dev.onyx.runtime.OnyxException;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wraps a tool body so every failure becomes a tool error ({@code isError: true}); stateless and thread-safe. */
final class ToolSpecs {
    private static final Logger LOG = LoggerFactory.getLogger(ToolSpecs.class);

    /** A tool body: validated arguments in, a JSON-ready value out; may throw {@link IOException}. */
    interface Body {
        Map<String, Object> call(Args args) throws IOException;
    }

    private ToolSpecs() {}

    static SyncToolSpecification of(
            String name, String description, Map<String, Object> schema, ToolResults results, Body body) {
        Tool tool = Tool.builder()
                .name(name)
                .description(description)
                .inputSchema(schema)
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> run(name, request.arguments(), results, body))
                .build();
    }

    /** The tool edge: like an HTTP handler, nothing thrown may reach the transport, so every failure is reported. */
    private static CallToolResult run(String name, Map<String, Object> arguments, ToolResults results, Body body) {
        try {
            return results.success(body.call(new Args(name, arguments)));
        } catch (OnyxException e) {
            return ToolResults.error(e.getMessage());
        } catch (IOException e) {
            return ToolResults.error(name + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("tool {} failed", name, e);
            return ToolResults.error(name + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
