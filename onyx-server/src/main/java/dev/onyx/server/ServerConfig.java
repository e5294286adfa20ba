package dev.onyx.server;

import dev.onyx.runtime.OnyxException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How an {@link EmbeddingServer} listens and what it accepts; an immutable record, safe to share.
 *
 * @param host address to bind; {@code 127.0.0.1} unless the server should be reachable from other machines
 * @param port TCP port; 0 picks a free one ({@link EmbeddingServer#port()} tells which)
 * @param apiKey when present, every endpoint but {@code GET /health} requires {@code Authorization: Bearer <key>}
 * @param maxBatchTokens most tokens (sum of input lengths) the scheduler gathers into one model call
 * @param maxClientBatch most inputs one request may carry
 * @param maxConcurrentInputs most inputs accepted and not yet answered per model; more are refused with 429
 * @param payloadLimitBytes largest request body; larger ones are refused with 413
 * @param maxWaitMillis how long a free scheduler worker waits for more requests before gathering fewer than a full
 *     run per worker, when a lone request finds it idle or more requests are on their way (0 = never waits)
 * @param batchWorkers model runs per model that may proceed at once, each on its own gathered batch; a served model's
 *     ONNX Runtime session then gets {@code cores / batchWorkers} intra-op threads (see
 *     {@link EmbeddingServer#servingOptions(ServerConfig)})
 * @param shutdownTimeoutMillis how long {@link EmbeddingServer#close()} waits for in-flight requests before it answers
 *     those still queued with 503 and {@code Retry-After} (0 answers them at once); runs already started always finish
 * @param bodyReadTimeoutMillis longest pause while a request body arrives; a body that stalls longer (for example one
 *     shorter than its Content-Length) is refused with 408
 * @param corsAllowOrigins origins whose browser pages may call the server (CORS); {@code *} allows any; empty sends
 *     no CORS headers at all
 * @param grpcPort when present, the TCP port (0 picks a free one) of the gRPC API (TEI's {@code tei.v1} services,
 *     health, reflection) on the same host; absent = no gRPC
 */
public record ServerConfig(
        String host,
        int port,
        Optional<String> apiKey,
        int maxBatchTokens,
        int maxClientBatch,
        int maxConcurrentInputs,
        long payloadLimitBytes,
        int maxWaitMillis,
        int batchWorkers,
        long shutdownTimeoutMillis,
        long bodyReadTimeoutMillis,
        List<String> corsAllowOrigins,
        OptionalInt grpcPort) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKey, "apiKey");
        if (host.isBlank()) {
            throw new OnyxException("host must not be blank");
        }
        check("port", port, 0, 65_535);
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new OnyxException("apiKey must not be blank when present");
        }
        check("maxBatchTokens", maxBatchTokens, 1, Integer.MAX_VALUE);
        check("maxClientBatch", maxClientBatch, 1, 1_000_000);
        check("maxConcurrentInputs", maxConcurrentInputs, maxClientBatch, Integer.MAX_VALUE);
        check("payloadLimitBytes", payloadLimitBytes, 1, Integer.MAX_VALUE);
        check("maxWaitMillis", maxWaitMillis, 0, 1_000);
        check("batchWorkers", batchWorkers, 1, 64);
        check("shutdownTimeoutMillis", shutdownTimeoutMillis, 0, 3_600_000);
        check("bodyReadTimeoutMillis", bodyReadTimeoutMillis, 1, 3_600_000);
        corsAllowOrigins = List.copyOf(corsAllowOrigins);
        for (String origin : corsAllowOrigins) checkOrigin(origin);
        Objects.requireNonNull(grpcPort, "grpcPort");
        if (grpcPort.isPresent()) {
            check("grpcPort", grpcPort.getAsInt(), 0, 65_535);
        }
    }

    /** An origin is {@code *} or {@code scheme://host[:port]}, as browsers send it in the Origin header. */
    private static void checkOrigin(String origin) {
        if (origin.equals("*")) {
            return;
        }
        int sep = origin.indexOf("://");
        if (sep <= 0 || sep + 3 == origin.length() || origin.indexOf('/', sep + 3) >= 0 || origin.contains(" ")) {
            throw new OnyxException("CORS origin must be * or scheme://host[:port] (such as https://app.example.com),"
                    + " without a path, was '" + origin + "'");
        }
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new OnyxException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    /**
     * 127.0.0.1:8080, no API key, 16,384 batch tokens, 2,048 inputs per request, 16,384 concurrent inputs per model,
     * 2 MB bodies, 2 ms batching wait, 2 batch workers, 30 s shutdown grace, 5 s body read timeout, no CORS, no gRPC.
     */
    public static ServerConfig defaults() {
        return new ServerConfig(
                "127.0.0.1",
                8080,
                Optional.empty(),
                16_384,
                2_048,
                16_384,
                2_000_000,
                2,
                2,
                30_000,
                5_000,
                List.of(),
                OptionalInt.empty());
    }

    public ServerConfig withHost(String host) {
        return edit(d -> d.host = host);
    }

    public ServerConfig withPort(int port) {
        return edit(d -> d.port = port);
    }

    public ServerConfig withApiKey(String apiKey) {
        return edit(d -> d.apiKey = Optional.of(apiKey));
    }

    public ServerConfig withMaxBatchTokens(int maxBatchTokens) {
        return edit(d -> d.maxBatchTokens = maxBatchTokens);
    }

    public ServerConfig withMaxClientBatch(int maxClientBatch) {
        return edit(d -> d.maxClientBatch = maxClientBatch);
    }

    public ServerConfig withMaxConcurrentInputs(int maxConcurrentInputs) {
        return edit(d -> d.maxConcurrentInputs = maxConcurrentInputs);
    }

    public ServerConfig withPayloadLimitBytes(long payloadLimitBytes) {
        return edit(d -> d.payloadLimitBytes = payloadLimitBytes);
    }

    public ServerConfig withMaxWaitMillis(int maxWaitMillis) {
        return edit(d -> d.maxWaitMillis = maxWaitMillis);
    }

    public ServerConfig withBatchWorkers(int batchWorkers) {
        return edit(d -> d.batchWorkers = batchWorkers);
    }

    public ServerConfig withShutdownTimeoutMillis(long shutdownTimeoutMillis) {
        return edit(d -> d.shutdownTimeoutMillis = shutdownTimeoutMillis);
    }

    public ServerConfig withBodyReadTimeoutMillis(long bodyReadTimeoutMillis) {
        return edit(d -> d.bodyReadTimeoutMillis = bodyReadTimeoutMillis);
    }

    /** Allows browser pages from these origins ({@code *}: any) to call the server. */
    public ServerConfig withCorsAllowOrigins(List<String> corsAllowOrigins) {
        return edit(d -> d.corsAllowOrigins = corsAllowOrigins);
    }

    /** A copy that also serves gRPC on {@code grpcPort} (0 picks a free port). */
    public ServerConfig withGrpcPort(int grpcPort) {
        return edit(d -> d.grpcPort = OptionalInt.of(grpcPort));
    }

    /** A copy with one change; the canonical constructor checks the result. */
    private ServerConfig edit(java.util.function.Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new ServerConfig(
                d.host,
                d.port,
                d.apiKey,
                d.maxBatchTokens,
                d.maxClientBatch,
                d.maxConcurrentInputs,
                d.payloadLimitBytes,
                d.maxWaitMillis,
                d.batchWorkers,
                d.shutdownTimeoutMillis,
                d.bodyReadTimeoutMillis,
                d.corsAllowOrigins,
                d.grpcPort);
    }

    /** The fields of a config being edited; lives only inside {@link #edit}. */
    private static final class Draft {
        String host;
        int port;
        Optional<String> apiKey;
        int maxBatchTokens;
        int maxClientBatch;
        int maxConcurrentInputs;
        long payloadLimitBytes;
        int maxWaitMillis;
        int batchWorkers;
        long shutdownTimeoutMillis;
        long bodyReadTimeoutMillis;
        List<String> corsAllowOrigins;
        OptionalInt grpcPort;

        Draft(ServerConfig c) {
            host = c.host;
            port = c.port;
            apiKey = c.apiKey;
            maxBatchTokens = c.maxBatchTokens;
            maxClientBatch = c.maxClientBatch;
            maxConcurrentInputs = c.maxConcurrentInputs;
            payloadLimitBytes = c.payloadLimitBytes;
            maxWaitMillis = c.maxWaitMillis;
            batchWorkers = c.batchWorkers;
            shutdownTimeoutMillis = c.shutdownTimeoutMillis;
            bodyReadTimeoutMillis = c.bodyReadTimeoutMillis;
            corsAllowOrigins = c.corsAllowOrigins;
            grpcPort = c.grpcPort;
        }
    }
}
