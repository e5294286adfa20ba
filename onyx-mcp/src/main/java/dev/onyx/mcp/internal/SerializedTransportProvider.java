package dev.onyx.mcp.internal;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Wraps a transport provider so that its session transport sends one message at a time. Thread-safe. The SDK's stdio
 * transport hands each message to a unicast sink that refuses concurrent emissions ("signaled serially"): two tool calls
 * finishing at once on different threads lost one answer (and the client waited forever). Sending under one lock keeps
 * tool calls concurrent and every answer delivered.
 */
public final class SerializedTransportProvider implements McpServerTransportProvider {
    private final McpServerTransportProvider delegate;

    public SerializedTransportProvider(McpServerTransportProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory factory) {
        delegate.setSessionFactory(transport -> factory.create(new Serialized(transport)));
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return delegate.notifyClients(method, params);
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return delegate.notifyClient(sessionId, method, params);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }

    private static final class Serialized implements McpServerTransport {
        private final McpServerTransport transport;
        private final Object sending = new Object();

        Serialized(McpServerTransport transport) {
            this.transport = transport;
        }

        @Override
        public Mono<Void> sendMessage(JSONRPCMessage message) {
            // The SDK's send emits into its sink when subscribed; join() (not block(), which Reactor forbids on its
            // non-blocking threads) waits for that under the lock, so emissions never overlap.
            return Mono.fromRunnable(() -> {
                synchronized (sending) {
                    transport.sendMessage(message).toFuture().join();
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
            return transport.unmarshalFrom(data, type);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return transport.closeGracefully();
        }

        @Override
        public void close() {
            transport.close();
        }

        @Override
        public List<String> protocolVersions() {
            return transport.protocolVersions();
        }
    }
}
