package dev.onyx.mcp;

import dev.onyx.embed.Embedder;
import dev.onyx.mcp.internal.SerializedTransportProvider;
import dev.onyx.mcp.internal.StdioGate;
import dev.onyx.mcp.internal.ToolCatalog;
import dev.onyx.runtime.OnyxException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Onyx's inference as Model Context Protocol tools over a pair of streams (stdio): {@code embed}, {@code similarity},
 * {@code search}, {@code model_info}, and {@code onnx_run} when allowed directories are given. Thread-safe; the caller
 * that opens a server owns the models it loaded and closes it ({@link #close()} is idempotent).
 *
 * <pre>{@code
 * try (OnyxMcpServer server = OnyxMcpServer.open(McpOptions.defaults())) {
 *     server.serve(System.in, System.out);   // until the client closes its end
 * }
 * }</pre>
 *
 * <p>Only protocol messages go to the output stream; logging goes wherever slf4j sends it (standard error for the CLI).
 */
public final class OnyxMcpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnyxMcpServer.class);

    /** Most texts one {@code embed} or {@code similarity} call takes. */
    public static final int MAX_TEXTS = ToolCatalog.MAX_TEXTS;
    /** Most documents one {@code search} call ranks. */
    public static final int MAX_SEARCH_DOCUMENTS = ToolCatalog.MAX_DOCUMENTS;

    private final McpOptions options;
    private final Map<String, Embedder> models;
    private static final String VERSION = readVersion();

    private final AtomicBoolean closed = new AtomicBoolean();

    private OnyxMcpServer(McpOptions options, Map<String, Embedder> models) {
        this.options = options;
        this.models = models;
    }

    /**
     * Loads every model (so a bad one fails now, not on the first call).
     *
     * @throws IOException when a model's files cannot be read or are invalid
     * @throws OnyxException when options do not fit a model
     */
    public static OnyxMcpServer open(McpOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Map<String, Embedder> models = new LinkedHashMap<>();
        try {
            for (NamedModel model : options.models()) {
                models.put(model.name(), Embedder.open(model.source(), options.embedOptions()));
                LOG.info("loaded model {} from {}", model.name(), model.source());
            }
        } catch (IOException | RuntimeException e) {
            models.values().forEach(Embedder::close);
            throw e;
        }
        return new OnyxMcpServer(options, models);
    }

    /** The names tool calls use for the models, the default first. */
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    /**
     * Serves MCP (newline-delimited JSON-RPC) on the streams until {@code in} ends and every request read has been
     * answered, then shuts the protocol session down. A line that is not a valid JSON-RPC message gets JSON-RPC's error
     * (-32700, -32600 or -32602) and serving goes on; blank lines are skipped. Blocks the calling thread.
     *
     * @throws IOException when an allowed directory does not exist
     * @throws InterruptedException when the waiting thread is interrupted (the session is shut down first)
     */
    public void serve(InputStream in, OutputStream out) throws IOException, InterruptedException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (closed.get()) {
            throw new OnyxException("the MCP server is closed");
        }
        McpJsonMapper json = McpJsonDefaults.getMapper();
        List<SyncToolSpecification> tools = ToolCatalog.tools(
                models, options.allowedDirs(), options.embedOptions().runtime(), json);
        Set<String> toolNames = tools.stream().map(t -> t.tool().name()).collect(Collectors.toUnmodifiableSet());
        StdioGate gate = new StdioGate(json, toolNames, out);
        StdioServerTransportProvider transport =
                new StdioServerTransportProvider(json, gate.sdkInput(), gate.sdkOutput());
        McpSyncServer server = McpServer.sync(new SerializedTransportProvider(transport))
                .serverInfo("onyx", VERSION)
                .jsonMapper(json)
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .instructions("Sentence embeddings, similarity and semantic search with local models"
                        + (options.allowedDirs().isEmpty() ? "." : ", and ONNX inference on local model files."))
                .tools(tools)
                .build();
        LOG.info("MCP server {} ready: models {}, onnx_run {}", VERSION, models.keySet(), options.allowedDirs());
        try {
            gate.pump(in);
        } finally {
            server.closeGracefully();
        }
    }

    /** Onyx's version, written into {@code build.properties} by the build. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream props = OnyxMcpServer.class.getResourceAsStream("build.properties")) {
            if (props == null) throw new IllegalStateException("build.properties is missing from onyx-mcp's jar");
            Properties p = new Properties();
            p.load(props);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read onyx-mcp's build.properties", e);
        }
    }

    /** Closes the models; idempotent and safe from any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            models.values().forEach(Embedder::close);
        }
    }
}
