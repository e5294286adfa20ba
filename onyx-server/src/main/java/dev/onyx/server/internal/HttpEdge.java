package dev.onyx.server.internal;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge every request passes: shutdown check, API key, body size, error responses in the caller's API shape, and
 * request metrics. Thread-safe. The one place where any exception from a handler is caught: a failing request gets
 * an error response and the server keeps serving.
 */
public final class HttpEdge {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
    private static final String JSON = "application/json";

    private final ServerMetrics metrics;
    private final Optional<byte[]> keyDigest;
    private static final String BODY_READ = "onyx.body-read";

    private static final String BEARER = "bearer ";

    private final long payloadLimitBytes;
    private final long bodyReadTimeoutMillis;
    private final AtomicBoolean closing = new AtomicBoolean();

    /**
     * @param bodyReadTimeoutMillis longest pause allowed while a request body arrives; a body that stalls longer (a
     *     client that sent less than its Content-Length) gets 408
     */
    public HttpEdge(
            ServerMetrics metrics, Optional<String> apiKey, long payloadLimitBytes, long bodyReadTimeoutMillis) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.keyDigest = apiKey.map(HttpEdge::sha256);
        this.payloadLimitBytes = payloadLimitBytes;
        this.bodyReadTimeoutMillis = bodyReadTimeoutMillis;
    }

    /** The error body layout of an API family. */
    public enum Shape {
        /** {@code {"error":{"message","type","param","code"}}} */
        OPENAI,
        /** {@code {"error":"...","error_type":"..."}}, as text-embeddings-inference answers. */
        TEI
    }

    /** A route's work; it writes the response through the context. */
    @FunctionalInterface
    public interface Action {
        void handle(Context ctx) throws IOException;
    }

    /** From now on, new requests get 503 while those in flight finish. */
    public void startClosing() {
        closing.set(true);
    }

    public int inFlight() {
        return metrics.inFlight().get();
    }

    public Handler handler(String endpoint, Shape shape, boolean requiresKey, Action action) {
        return ctx -> {
            long start = System.nanoTime();
            metrics.inFlight().incrementAndGet();
            try {
                if (closing.get()) {
                    ctx.header("Connection", "close");
                    throw new ApiException(ErrorKind.UNAVAILABLE, null, "the server is shutting down");
                }
                if (requiresKey) {
                    checkKey(ctx.header("Authorization"));
                }
                action.handle(ctx);
            } catch (ApiException e) {
                if (ctx.attribute(BODY_READ) == null) {
                    // refused before the body was read (401, 413, 503, ...): the server drops the connection rather
                    // than read an unwanted body, so say so instead of letting the client reuse it and see a reset
                    ctx.header("Connection", "close");
                }
                error(ctx, shape, e);
            } catch (Exception e) { // the HTTP edge: whatever failed, this request gets a 500 and others go on
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, shape, new ApiException(ErrorKind.INTERNAL, null, "internal error: " + e));
            } finally {
                metrics.inFlight().decrementAndGet();
                metrics.request(endpoint, ctx.statusCode(), System.nanoTime() - start);
            }
        };
    }

    private void checkKey(String header) {
        if (keyDigest.isEmpty()) {
            return;
        }
        // RFC 9110 §11.1: the scheme is case-insensitive ("bearer", "BEARER" and "Bearer" are one scheme)
        if (header == null
                || header.length() < BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(
                    ErrorKind.UNAUTHORIZED, null, "missing API key: send the header Authorization: Bearer <key>");
        }
        byte[] given = sha256(header.substring(BEARER.length()).trim());
        // Comparing fixed-length digests with isEqual takes the same time wherever they differ.
        if (!MessageDigest.isEqual(given, keyDigest.get())) {
            throw new ApiException(ErrorKind.UNAUTHORIZED, null, "invalid API key");
        }
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Reads the body, refusing with 413 one larger than the payload limit (checked before reading when declared), and
     * with 408 one that stalls for longer than the body read timeout (while the body arrives, the connection's idle
     * timeout is the body read timeout; afterwards it is restored, so a long inference is not cut short).
     */
    public byte[] body(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > payloadLimitBytes) {
            throw tooLarge(declared + " bytes");
        }
        EndPoint endPoint = endPoint(ctx);
        long idleTimeout = endPoint == null ? 0 : endPoint.getIdleTimeout();
        if (endPoint != null) endPoint.setIdleTimeout(bodyReadTimeoutMillis);
        InputStream in = ctx.req().getInputStream();
        byte[] body;
        try {
            body = in.readNBytes((int) payloadLimitBytes + 1);
        } catch (IOException e) { // Jetty's idle timeout (or the client gone) while the body was still expected
            throw new ApiException(
                    ErrorKind.REQUEST_TIMEOUT,
                    null,
                    "the request body stopped arriving: nothing came for " + bodyReadTimeoutMillis + " ms"
                            + (declared >= 0
                                    ? " before the " + declared + " bytes of its Content-Length were read"
                                    : "")
                            + " (" + e.getMessage() + ")");
        } finally {
            if (endPoint != null) endPoint.setIdleTimeout(idleTimeout);
        }
        in.close();
        if (body.length > payloadLimitBytes) {
            throw tooLarge("more than " + payloadLimitBytes + " bytes");
        }
        ctx.attribute(BODY_READ, Boolean.TRUE);
        return body;
    }

    /** The connection's endpoint, whose idle timeout bounds a blocking read; null when Jetty does not expose one. */
    private static EndPoint endPoint(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        return request == null
                ? null
                : request.getConnectionMetaData().getConnection().getEndPoint();
    }

    private ApiException tooLarge(String size) {
        return new ApiException(
                ErrorKind.PAYLOAD_TOO_LARGE,
                null,
                "request body has " + size + "; the limit is " + payloadLimitBytes + " bytes (--payload-limit)");
    }

    /**
     * Writes a complete response before the handler returns (not after, as {@code ctx.result} would), so that when
     * the in-flight count drops to zero during shutdown, every answer has been handed to the socket.
     */
    public static void write(Context ctx, int status, String contentType, byte[] body) throws IOException {
        ctx.status(status).contentType(contentType);
        ctx.res().setContentLength(body.length);
        try (OutputStream out = ctx.res().getOutputStream()) {
            out.write(body);
        }
    }

    public static void json(Context ctx, int status, byte[] body) throws IOException {
        write(ctx, status, JSON, body);
    }

    private static void error(Context ctx, Shape shape, ApiException e) {
        if (ctx.res().isCommitted()) {
            return; // the failure came while the answer was being written (client gone): nothing more to send
        }
        ErrorKind kind = e.kind();
        if (kind == ErrorKind.OVERLOADED || kind == ErrorKind.UNAVAILABLE) {
            ctx.header("Retry-After", "1");
        }
        if (kind == ErrorKind.UNAUTHORIZED) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        byte[] body = JsonOut.bytes(json -> {
            json.writeStartObject();
            if (shape == Shape.OPENAI) {
                json.writeObjectFieldStart("error");
                json.writeStringField("message", e.getMessage());
                json.writeStringField("type", kind.type());
                json.writeStringField("param", e.param().orElse(null));
                json.writeStringField("code", kind.code());
                json.writeEndObject();
            } else {
                json.writeStringField("error", e.getMessage());
                json.writeStringField("error_type", teiType(kind));
            }
            json.writeEndObject();
        });
        try {
            json(ctx, kind.status(), body);
        } catch (IOException gone) {
            LOG.debug("could not send error response: {}", gone.toString());
        }
    }

    /** TEI's {@code ErrorType}: one of its six values, so that TEI clients can read every error Onyx sends. */
    private static String teiType(ErrorKind kind) {
        return switch (kind) {
            case EMPTY -> "Empty";
            case INVALID_REQUEST,
                    PAYLOAD_TOO_LARGE,
                    TOO_MANY_INPUTS,
                    INPUT_TOO_LONG,
                    UNAUTHORIZED,
                    NOT_FOUND,
                    ROUTE_NOT_FOUND,
                    METHOD_NOT_ALLOWED,
                    REQUEST_TIMEOUT -> "Validation";
            case OVERLOADED -> "Overloaded";
            case UNAVAILABLE -> "Unhealthy";
            case INTERNAL -> "Backend";
        };
    }
}
