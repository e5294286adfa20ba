package dev.onyx.server;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.runtime.OnyxException;
import dev.onyx.server.internal.BatchScheduler;
import dev.onyx.server.internal.Cors;
import dev.onyx.server.internal.GrpcServer;
import dev.onyx.server.internal.HttpEdge;
import dev.onyx.server.internal.HttpEdge.Shape;
import dev.onyx.server.internal.HttpRoutes;
import dev.onyx.server.internal.Models;
import dev.onyx.server.internal.OpenAiApi;
import dev.onyx.server.internal.ServedModel;
import dev.onyx.server.internal.ServerMetrics;
import dev.onyx.server.internal.TeiApi;
import dev.onyx.server.internal.TeiTokenApi;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running HTTP embedding server: OpenAI-shaped {@code POST /v1/embeddings} and {@code /v1/models}, the routes of
 * text-embeddings-inference for an embedding model ({@code POST /embed}, {@code /embed_all}, {@code /similarity},
 * {@code /tokenize}, {@code /decode}, {@code GET /info}, {@code /health} and their aliases), and Prometheus
 * {@code /metrics}; and, when {@link ServerConfig#grpcPort()} is set, TEI's gRPC API on that port. Thread-safe. Requests from concurrent clients are batched together per model.
 *
 * <p>Ownership: the caller opens the {@link Embedder}s, keeps them open while the server runs, and closes them after
 * {@link #close()}; the server never closes an embedder. {@code close()} is idempotent: it stops accepting requests,
 * lets those in flight finish (up to {@link ServerConfig#shutdownTimeoutMillis()}; then those still queued are answered
 * 503), waits for the model runs already started, then stops listening.
 *
 * <pre>{@code
 * try (Embedder embedder = Embedder.open(ModelSource.defaultModel());
 *         EmbeddingServer server = EmbeddingServer.start(ServerConfig.defaults(), Map.of("minilm", embedder))) {
 *     server.awaitClosed();
 * }
 * }</pre>
 */
public final class EmbeddingServer implements AutoCloseable {
    private final Javalin app;
    private final Models models;
    private final HttpEdge edge;
    private final ServerConfig config;
    private final Optional<GrpcServer> grpc;
    private final int port;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);
    /** How long answered requests get to write their responses once the models have stopped. */
    private static final long RESPONSE_GRACE_NANOS = 5_000_000_000L;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private EmbeddingServer(Javalin app, Models models, HttpEdge edge, ServerConfig config, Optional<GrpcServer> grpc) {
        this.app = app;
        this.grpc = grpc;
        this.models = models;
        this.edge = edge;
        this.config = config;
        this.port = app.port();
    }

    /**
     * Embedding options for models this server will serve with {@code config}, as {@code onyx serve} opens them.
     *
     * <ul>
     *   <li>Intra-op threads = {@code cores / config.batchWorkers()} (at least 1): the server runs that many model
     *       runs at once, each on its own batch, instead of splitting one run across every core. A run's threads meet
     *       at a barrier after every operator, so when an HTTP thread preempts one of them the others wait; separate
     *       runs do not wait for each other. On 2 cores with 32 concurrent clients, 2 workers × 1 thread kept both
     *       cores busy (1.99 cores in use vs 1.85) and served 6–25 % more texts/s than 1 worker × 2 threads.
     *   <li>Threads sleep instead of spinning between runs, leaving the CPU to the HTTP threads (0.66 → 0.76 of
     *       library throughput on 2 cores, library throughput itself unchanged).
     * </ul>
     *
     * A lone request runs on fewer threads, so with {@code batchWorkers > 1} its latency is higher than the library's
     * on an idle machine; {@code --batch-workers 1} trades throughput under load for that latency.
     */
    public static EmbedOptions servingOptions(ServerConfig config) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / config.batchWorkers());
        EmbedOptions defaults = EmbedOptions.defaults();
        return defaults.withRuntime(defaults.runtime().withSpinWait(false).withIntraOpThreads(threads));
    }

    /**
     * Starts serving.
     *
     * @param models served models by name, in order: the first is the default for requests that name none. One
     *     embedder may appear under several names (aliases); it then gets one batch scheduler.
     * @throws OnyxException when there are no models, a name is blank, or the address cannot be bound
     */
    public static EmbeddingServer start(ServerConfig config, Map<String, Embedder> models) {
        return start(config, models, true);
    }

    /**
     * As {@link #start(ServerConfig, Map)}; {@code gatherWhileArriving} false keeps the schedulers from waiting for
     * requests on their way (only an idle scheduler waits): the behaviour before that lever, for A/B probes.
     */
    static EmbeddingServer start(ServerConfig config, Map<String, Embedder> models, boolean gatherWhileArriving) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(models, "models");
        if (models.isEmpty()) {
            throw new OnyxException("at least one model is needed to start a server");
        }
        ServerMetrics metrics = new ServerMetrics();
        HttpEdge edge =
                new HttpEdge(metrics, config.apiKey(), config.payloadLimitBytes(), config.bodyReadTimeoutMillis());
        Models served = new Models(serve(config, models, metrics, gatherWhileArriving ? edge::inFlight : () -> 0));
        Javalin app = Javalin.create(javalin -> configure(javalin, config, served, edge, metrics));
        try {
            app.start(config.host(), config.port());
        } catch (RuntimeException e) { // Javalin reports a failed bind as its own unchecked exception
            served.close();
            throw new OnyxException(
                    "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        Optional<GrpcServer> grpc;
        try {
            grpc = config.grpcPort().isPresent()
                    ? Optional.of(GrpcServer.start(
                            config.host(), config.grpcPort().getAsInt(), config, served, metrics, version()))
                    : Optional.empty();
        } catch (RuntimeException e) {
            app.stop();
            served.close();
            throw e;
        }
        return new EmbeddingServer(app, served, edge, config, grpc);
    }

    private static List<ServedModel> serve(
            ServerConfig config, Map<String, Embedder> models, ServerMetrics metrics, IntSupplier inFlight) {
        Map<Embedder, List<String>> names = new IdentityHashMap<>();
        for (Map.Entry<String, Embedder> entry : models.entrySet()) {
            String name = Objects.requireNonNull(entry.getKey(), "model name");
            Embedder embedder = Objects.requireNonNull(entry.getValue(), () -> "embedder for " + name);
            if (name.isBlank()) {
                throw new OnyxException("model names must not be blank");
            }
            names.computeIfAbsent(embedder, e -> new ArrayList<>()).add(name);
        }
        List<ServedModel> out = new ArrayList<>();
        Set<Embedder> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Embedder embedder : models.values()) {
            if (!seen.add(embedder)) {
                continue;
            }
            List<String> aliases = names.get(embedder);
            BatchScheduler scheduler = new BatchScheduler(
                    aliases.get(0),
                    embedder,
                    metrics,
                    config.maxBatchTokens(),
                    config.maxWaitMillis(),
                    config.batchWorkers(),
                    config.maxConcurrentInputs(),
                    inFlight);
            out.add(new ServedModel(aliases, embedder, scheduler, metrics));
        }
        return out;
    }

    private static void configure(
            JavalinConfig javalin, ServerConfig config, Models models, HttpEdge edge, ServerMetrics metrics) {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.http.maxRequestSize = config.payloadLimitBytes();
        OpenAiApi openAi = new OpenAiApi(models, edge, config.maxClientBatch());
        TeiApi tei = new TeiApi(models, edge, config);
        TeiTokenApi tokens = new TeiTokenApi(models, edge, config.maxClientBatch());
        HttpRoutes routes = new HttpRoutes(javalin.routes, edge, new Cors(config.corsAllowOrigins()));
        routes.post("/v1/embeddings", Shape.OPENAI, true, openAi::embeddings)
                .post("/embeddings", Shape.OPENAI, true, openAi::embeddings) // TEI's alias of the OpenAI route
                .get("/v1/models", Shape.OPENAI, true, openAi::models)
                .get("/v1/models/<id>", Shape.OPENAI, true, openAi::model);
        // TEI: POST / and /invocations (SageMaker) embed, GET / and /ping (SageMaker) are health, as for TEI's
        // embedding models
        for (String path : List.of("/embed", "/", "/invocations")) routes.post(path, Shape.TEI, true, tei::embed);
        routes.post("/embed_all", Shape.TEI, true, tei::embedAll)
                .post("/similarity", Shape.TEI, true, tei::similarity)
                .post("/tokenize", Shape.TEI, true, tokens::tokenize)
                .post("/decode", Shape.TEI, true, tokens::decode)
                .get("/info", Shape.TEI, true, tei::info);
        for (String path : List.of("/health", "/", "/ping")) routes.get(path, Shape.TEI, false, tei::health);
        routes.get(
                "/metrics",
                Shape.TEI,
                true,
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()));
        routes.finish();
    }

    /** The port the server listens on (the one picked when the config asked for 0); unchanged after close. */
    public int port() {
        return port;
    }

    /** The port of the gRPC API, when the config asked for one (the one picked when it asked for 0). */
    public OptionalInt grpcPort() {
        return grpc.map(g -> OptionalInt.of(g.port())).orElse(OptionalInt.empty());
    }

    /** Onyx's version, written into {@code build.properties} by the build. */
    public static String version() {
        try (InputStream in = EmbeddingServer.class.getResourceAsStream("build.properties")) {
            if (in == null) throw new IllegalStateException("build.properties is missing from onyx-server's jar");
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read onyx-server's build.properties", e);
        }
    }

    /** The address the server is bound to. */
    public String host() {
        return config.host();
    }

    /** Blocks until {@link #close()} has finished, from any thread. */
    public void awaitClosed() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops accepting requests (new ones get 503), waits up to the shutdown timeout for those in flight, answers the
     * ones still queued at the deadline with 503 and {@code Retry-After}, lets the model runs already started finish,
     * then stops listening. Returns once no model run is in progress, so the caller may close the embedders. Idempotent
     * and safe from any thread; leaves the embedders open.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            long deadline = System.nanoTime() + config.shutdownTimeoutMillis() * 1_000_000L;
            edge.startClosing();
            grpc.ifPresent(GrpcServer::startClosing);
            boolean drained = awaitInFlight(deadline);
            // gRPC calls (streams too) share the one deadline; their queued work is abandoned with HTTP's
            drained = grpc.map(g -> g.awaitDrained(deadline)).orElse(true) && drained;
            if (!drained) {
                int abandoned = models.abandonQueued();
                LOG.warn(
                        "shutdown timeout ({} ms) reached with {} requests in flight; {} queued ones answered 503",
                        config.shutdownTimeoutMillis(),
                        edge.inFlight(),
                        abandoned);
            }
            models.close(); // returns once the runs already started are done: nothing runs after this
            // the handlers (HTTP and gRPC) whose runs just finished, or that were answered 503, write their responses
            long grace = System.nanoTime() + RESPONSE_GRACE_NANOS;
            awaitInFlight(grace);
            grpc.ifPresent(g -> g.awaitClosed(grace));
            app.stop();
        } finally {
            stopped.countDown();
        }
    }

    /** Waits until no request is in flight or the deadline passes; true when none is. */
    private boolean awaitInFlight(long deadline) {
        while (edge.inFlight() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10); // polling keeps the edge free of shutdown bookkeeping; shutdown is rare
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
