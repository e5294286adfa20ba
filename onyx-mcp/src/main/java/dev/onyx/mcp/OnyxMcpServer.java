package dev.onyx.mcp;

import dev.onyx.embed.Embedder;
import dev.onyx.mcp.internal.ToolCatalog;
import dev.onyx.runtime.OnyxException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
     * Serves MCP (newline-delimited JSON-RPC) on the streams until {@code in} ends, then shuts the protocol session
     * down. Blocks the calling thread.
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
        CountDownLatch ended = new CountDownLatch(1);
        StdioServerTransportProvider transport =
                new StdioServerTransportProvider(json, new EndSignallingStream(in, ended), out);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("onyx", version())
                .jsonMapper(json)
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .instructions("Sentence embeddings, similarity and semantic search with local models"
                        + (options.allowedDirs().isEmpty() ? "." : ", and ONNX inference on local model files."))
                .tools(ToolCatalog.tools(
                        models, options.allowedDirs(), options.embedOptions().runtime(), json))
                .build();
        LOG.info("MCP server ready: models {}, onnx_run {}", models.keySet(), options.allowedDirs());
        try {
            ended.await();
        } finally {
            server.closeGracefully();
        }
    }

    private static String version() {
        String version = OnyxMcpServer.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Closes the models; idempotent and safe from any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            models.values().forEach(Embedder::close);
        }
    }

    /** Counts the latch down when the wrapped stream ends or fails, so {@link #serve} knows the client has gone. */
    private static final class EndSignallingStream extends FilterInputStream {
        private final CountDownLatch ended;

        EndSignallingStream(InputStream in, CountDownLatch ended) {
            super(in);
            this.ended = ended;
        }

        @Override
        public int read() throws IOException {
            return signal(watch(super::read));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return signal(watch(() -> super.read(b, off, len)));
        }

        private interface Read {
            int read() throws IOException;
        }

        private int watch(Read read) throws IOException {
            try {
                return read.read();
            } catch (IOException e) {
                ended.countDown();
                throw e;
            }
        }

        private int signal(int n) {
            if (n < 0) ended.countDown();
            return n;
        }
    }
}
