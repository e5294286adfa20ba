package dev.onyx.cli;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.Device;
import dev.onyx.server.EmbeddingServer;
import dev.onyx.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code onyx serve}: an OpenAI- and TEI-compatible embedding server until SIGTERM / Ctrl-C, which shuts it down
 * gracefully (in-flight requests finish within {@code --shutdown-timeout}, those still queued then get 503, the model
 * runs already started finish, then the models close and the command exits 0). Used by one thread; the shutdown hook is the other.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve embeddings over HTTP: OpenAI POST /v1/embeddings, /v1/models; TEI POST /embed, /embed_all,"
                + " /similarity, /tokenize, /decode, GET /info, /health; /metrics.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    static final String DEFAULT_ALIAS = "sentence-transformers/all-MiniLM-L6-v2";

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--grpc-port",
            paramLabel = "PORT",
            description = "Also serve TEI's gRPC API (tei.v1 Info/Embed/Tokenize, grpc.health.v1, reflection) on PORT"
                    + " of the same host; 0 picks a free one (default: no gRPC).")
    Integer grpcPort;

    @Option(
            names = "--model",
            paramLabel = "NAME=SOURCE",
            description = "A model to serve under NAME; SOURCE is a catalog name or a model folder, ending in"
                    + " ?quantize=int8 for Onyx's int8 copy. Repeat for several; the first is the default. A bare SOURCE"
                    + " serves it under its own name. Default: " + ModelSource.DEFAULT_MODEL + ", also as "
                    + DEFAULT_ALIAS + ".")
    List<String> models = new ArrayList<>();

    @Mixin
    SourceOptions prepare = new SourceOptions();

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            defaultValue = "${env:ONYX_API_KEY}",
            description =
                    "Require Authorization: Bearer KEY on every endpoint but /health (default: env ONYX_API_KEY).")
    String apiKey;

    @Option(
            names = "--max-batch-tokens",
            paramLabel = "N",
            description = "Most tokens per model call (default: 16384).")
    Integer maxBatchTokens;

    @Option(names = "--max-client-batch", paramLabel = "N", description = "Most inputs per request (default: 2048).")
    Integer maxClientBatch;

    @Option(
            names = "--max-concurrent-inputs",
            paramLabel = "N",
            description = "Most inputs pending per model before 429 (default: 16384).")
    Integer maxConcurrentInputs;

    @Option(names = "--payload-limit", paramLabel = "BYTES", description = "Largest request body (default: 2000000).")
    Long payloadLimit;

    @Option(
            names = "--max-wait-millis",
            paramLabel = "MS",
            description =
                    "How long a free batch worker waits for more requests (idle, or more on their way) before running a batch short of full (default: 2).")
    Integer maxWaitMillis;

    @Option(
            names = "--batch-workers",
            paramLabel = "N",
            description = "Model runs per model that proceed at once; each gets cores/N ONNX Runtime threads"
                    + " (default: 2; 1 gives the lowest latency for a lone request).")
    Integer batchWorkers;

    @Option(
            names = "--cors-allow-origin",
            paramLabel = "ORIGIN",
            description = "Let browser pages from ORIGIN (scheme://host[:port]) call the server; repeat for several,"
                    + " * for any. Default: no CORS headers.")
    List<String> corsAllowOrigins = new ArrayList<>();

    @Option(
            names = "--body-read-timeout-millis",
            paramLabel = "MS",
            description = "Longest pause while a request body arrives before 408 (default: 5000).")
    Long bodyReadTimeoutMillis;

    @Option(
            names = "--shutdown-timeout",
            paramLabel = "DURATION",
            converter = Converters.DurationConverter.class,
            description = "On SIGTERM / Ctrl-C, how long requests in flight may finish (30s, 500ms, 2m); those still"
                    + " queued then get 503 with Retry-After (default: 30s).")
    Long shutdownTimeoutMillis;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "auto",
            converter = Converters.DeviceConverter.class,
            description = "auto, cpu, cuda, coreml or directml (default: ${DEFAULT-VALUE}).")
    Device device;

    @Option(names = "--strict-device", description = "Fail instead of falling back to cpu.")
    boolean strictDevice;

    @Mixin
    VerboseOption verbose;

    private volatile EmbeddingServer server;

    @Override
    public Integer call() throws Exception {
        Map<String, Embedder> served = new LinkedHashMap<>();
        List<Embedder> opened = new ArrayList<>();
        try {
            open(served, opened);
            server = EmbeddingServer.start(config(), served);
        } catch (IOException | RuntimeException e) {
            opened.forEach(Embedder::close);
            throw e;
        }
        Thread hook = new Thread(() -> stop(opened), "onyx-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<sun.misc.Signal, sun.misc.SignalHandler> previous = stopOnSignals();
        System.out.println("onyx: serving " + String.join(", ", served.keySet()) + " on http://" + server.host() + ":"
                + server.port() + " (OpenAI: /v1/embeddings, TEI: /embed; Ctrl-C stops)");
        server.grpcPort()
                .ifPresent(p -> System.out.println(
                        "onyx: serving gRPC (tei.v1, grpc.health.v1, reflection) on " + server.host() + ":" + p));
        System.out.flush();
        try {
            server.awaitClosed();
        } finally {
            previous.forEach(sun.misc.Signal::handle); // an in-process caller gets its JVM's handlers back
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            stop(opened); // closed from elsewhere (an in-process caller): release the models here
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook closes the models
        }
        return 0;
    }

    /**
     * SIGTERM and SIGINT close the server (draining up to the shutdown timeout) instead of starting the JVM's exit, so
     * that {@link #call()} returns and a clean stop exits 0 rather than 143 / 130. Where the JVM does not allow it, the
     * shutdown hook still stops the server gracefully.
     */
    private Map<sun.misc.Signal, sun.misc.SignalHandler> stopOnSignals() {
        Map<sun.misc.Signal, sun.misc.SignalHandler> previous = new LinkedHashMap<>();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                previous.put(signal, sun.misc.Signal.handle(signal, caught -> {
                    EmbeddingServer running = server;
                    if (running != null) {
                        new Thread(running::close, "onyx-serve-drain").start(); // keep the signal thread free
                    }
                }));
            } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
                // the signal is reserved here (e.g. -Xrs): the shutdown hook covers it
            }
        }
        return previous;
    }

    /** Stops the server gracefully and closes the models; idempotent, callable from the shutdown hook. */
    void stop(List<Embedder> opened) {
        EmbeddingServer running = server;
        if (running != null) {
            running.close();
        }
        opened.forEach(Embedder::close);
    }

    /** The server, once started; for tests that run the command in-process. */
    EmbeddingServer server() {
        return server;
    }

    private void open(Map<String, Embedder> served, List<Embedder> opened) throws IOException {
        EmbedOptions serving = EmbeddingServer.servingOptions(config());
        EmbedOptions options =
                serving.withRuntime(serving.runtime().withDevice(device).withStrictDevice(strictDevice));
        if (models.isEmpty()) {
            Embedder embedder = Embedder.open(prepared(ModelSource.defaultModel()), options);
            opened.add(embedder);
            served.put(ModelSource.DEFAULT_MODEL, embedder);
            served.put(DEFAULT_ALIAS, embedder);
            return;
        }
        Map<String, Embedder> bySource = new LinkedHashMap<>();
        for (String spec : models) {
            int eq = spec.indexOf('=');
            String name = (eq < 0 ? spec : spec.substring(0, eq)).trim();
            String source = (eq < 0 ? spec : spec.substring(eq + 1)).trim();
            if (name.isEmpty() || source.isEmpty()) {
                throw new ParameterException(
                        command.commandLine(), "--model must be NAME=SOURCE or SOURCE, was '" + spec + "'");
            }
            if (served.containsKey(name)) {
                throw new ParameterException(
                        command.commandLine(), "--model names must be unique; '" + name + "' is given twice");
            }
            Embedder embedder = bySource.get(source);
            if (embedder == null) {
                embedder = Embedder.open(prepared(ModelSource.parse(source)), options);
                opened.add(embedder);
                bySource.put(source, embedder);
            }
            served.put(name, embedder);
        }
    }

    /** The source with {@code --quantize} applied, fetched and quantized now (progress on stderr). */
    private ModelSource prepared(ModelSource source) throws IOException {
        return prepare.prepare(source, new PrintWriter(System.err, true));
    }

    private ServerConfig config() {
        ServerConfig config = ServerConfig.defaults().withHost(host).withPort(port);
        if (apiKey != null && !apiKey.isBlank()) config = config.withApiKey(apiKey);
        if (maxBatchTokens != null) config = config.withMaxBatchTokens(maxBatchTokens);
        if (maxClientBatch != null) config = config.withMaxClientBatch(maxClientBatch);
        if (maxConcurrentInputs != null) config = config.withMaxConcurrentInputs(maxConcurrentInputs);
        if (payloadLimit != null) config = config.withPayloadLimitBytes(payloadLimit);
        if (maxWaitMillis != null) config = config.withMaxWaitMillis(maxWaitMillis);
        if (batchWorkers != null) config = config.withBatchWorkers(batchWorkers);
        if (!corsAllowOrigins.isEmpty()) config = config.withCorsAllowOrigins(corsAllowOrigins);
        if (bodyReadTimeoutMillis != null) config = config.withBodyReadTimeoutMillis(bodyReadTimeoutMillis);
        if (grpcPort != null) config = config.withGrpcPort(grpcPort);
        if (shutdownTimeoutMillis != null) config = config.withShutdownTimeoutMillis(shutdownTimeoutMillis);
        return config;
    }
}
