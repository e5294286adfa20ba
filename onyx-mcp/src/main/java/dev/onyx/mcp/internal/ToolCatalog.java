package dev.onyx.mcp.internal;

import dev.onyx.embed.Embedder;
import dev.onyx.runtime.RuntimeOptions;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Assembles the tool specifications the server offers; stateless, so thread-safe. */
public final class ToolCatalog {
    /** Most texts one {@code embed} or {@code similarity} call takes. */
    public static final int MAX_TEXTS = EmbeddingTools.MAX_TEXTS;
    /** Most documents one {@code search} call ranks. */
    public static final int MAX_DOCUMENTS = EmbeddingTools.MAX_DOCUMENTS;

    private ToolCatalog() {}

    /**
     * The embedding tools over {@code models} (name → open embedder, the first the default), plus {@code onnx_run}
     * when {@code allowedDirs} is not empty.
     *
     * @throws IOException when an allowed directory does not exist
     */
    public static List<SyncToolSpecification> tools(
            Map<String, Embedder> models, List<Path> allowedDirs, RuntimeOptions runtime, McpJsonMapper json)
            throws IOException {
        ToolResults results = new ToolResults(json);
        List<SyncToolSpecification> tools = new ArrayList<>(new EmbeddingTools(models, results).specifications());
        if (!allowedDirs.isEmpty()) {
            tools.add(new OnnxRunTool(allowedDirs, runtime, results).specification());
        }
        return tools;
    }
}
