package dev.onyx.server.internal;

import dev.onyx.runtime.OnyxException;
import dev.onyx.server.ServerConfig;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC side of the server: TEI's {@code tei.v1} services, {@code grpc.health.v1} and server reflection (v1 and
 * v1alpha) on their own port, over the same models, batch schedulers, limits and metrics as HTTP. Thread-safe; the
 * {@link dev.onyx.server.EmbeddingServer} that starts it closes it.
 */
public final class GrpcServer {
    private static final String[] SERVICES = {"tei.v1.Info", "tei.v1.Embed", "tei.v1.Tokenize"};

    private final Server server;
    private final HealthStatusManager health;
    private final ExecutorService streamWork;

    private GrpcServer(Server server, HealthStatusManager health, ExecutorService streamWork) {
        this.server = server;
        this.health = health;
        this.streamWork = streamWork;
    }

    /**
     * Starts listening on {@code host:port} (0 picks a free port).
     *
     * @throws OnyxException when the address cannot be bound
     */
    public static GrpcServer start(
            String host, int port, ServerConfig config, Models models, ServerMetrics metrics, String version) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService streamWork = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "onyx-grpc-stream-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HealthStatusManager health = new HealthStatusManager();
        GrpcEdge edge = new GrpcEdge(metrics, config.apiKey());
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .maxInboundMessageSize((int) config.payloadLimitBytes())
                .addService(ServerInterceptors.intercept(new GrpcServices.Info(models, config, version), edge))
                .addService(ServerInterceptors.intercept(new GrpcEmbedService(models, streamWork), edge))
                .addService(ServerInterceptors.intercept(new GrpcServices.Tokenize(models, streamWork), edge))
                .addService(ServerInterceptors.intercept(new GrpcServices.Predict(), edge))
                .addService(ServerInterceptors.intercept(new GrpcServices.Rerank(), edge))
                .addService(ServerInterceptors.intercept(health.getHealthService(), edge))
                .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), edge))
                .addService(ServerInterceptors.intercept(ProtoReflectionService.newInstance(), edge))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            streamWork.shutdown();
            throw new OnyxException("cannot listen for gRPC on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        for (String service : SERVICES) health.setStatus(service, ServingStatus.SERVING);
        return new GrpcServer(server, health, streamWork);
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** Health turns NOT_SERVING and new calls are refused (UNAVAILABLE) while those in flight go on. */
    public void startClosing() {
        health.enterTerminalState();
        server.shutdown();
    }

    /** Waits for the calls in flight until {@code deadlineNanos} ({@link System#nanoTime()}); true when none is left. */
    public boolean awaitDrained(long deadlineNanos) {
        try {
            return server.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for the calls in flight until {@code deadlineNanos} ({@link System#nanoTime()}), then cuts the rest. */
    public void awaitClosed(long deadlineNanos) {
        try {
            server.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.shutdownNow();
            streamWork.shutdownNow();
        }
    }
}
