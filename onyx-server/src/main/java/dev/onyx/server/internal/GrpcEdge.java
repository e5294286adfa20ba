package dev.onyx.server.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * What every gRPC call passes, like {@link HttpEdge} for HTTP: the API key ({@code authorization: Bearer <key>}
 * metadata; health and reflection stay open, like {@code GET /health}), the model a call names ({@code model}
 * metadata, TEI's messages have no model field), and the request metrics. Thread-safe.
 */
final class GrpcEdge implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> MODEL = Metadata.Key.of("model", Metadata.ASCII_STRING_MARSHALLER);
    /** The {@code model} metadata of the current call, when it sent one. */
    static final Context.Key<String> MODEL_NAME = Context.key("onyx-model");

    private final ServerMetrics metrics;
    private final Optional<byte[]> keyDigest;

    GrpcEdge(ServerMetrics metrics, Optional<String> apiKey) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.keyDigest = apiKey.map(GrpcEdge::sha256);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        long start = System.nanoTime();
        ServerCall<Q, R> measured = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                metrics.request("grpc " + method, GrpcStatuses.httpStatus(status.getCode()), System.nanoTime() - start);
                super.close(status, trailers);
            }
        };
        boolean open = method.startsWith("grpc.health.") || method.startsWith("grpc.reflection.");
        Optional<String> refusal = open ? Optional.empty() : keyRefusal(headers.get(AUTHORIZATION));
        if (refusal.isPresent()) {
            measured.close(Status.UNAUTHENTICATED.withDescription(refusal.get()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Context context = Context.current().withValue(MODEL_NAME, headers.get(MODEL));
        return Contexts.interceptCall(context, measured, headers, next);
    }

    private Optional<String> keyRefusal(String header) {
        if (keyDigest.isEmpty()) {
            return Optional.empty();
        }
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.of("missing API key: send the metadata authorization: Bearer <key>");
        }
        byte[] given = sha256(header.substring("Bearer ".length()).trim());
        // fixed-length digests compared with isEqual take the same time wherever they differ
        return MessageDigest.isEqual(given, keyDigest.get()) ? Optional.empty() : Optional.of("invalid API key");
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
