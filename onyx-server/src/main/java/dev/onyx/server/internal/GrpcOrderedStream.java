package dev.onyx.server.internal;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A bidirectional stream whose messages are worked on concurrently (so they share batches with each other and with
 * other calls, like concurrent HTTP requests) and answered in the order they came. At most {@link #WINDOW} messages
 * are in progress per stream (gRPC flow control asks the client for more as answers go out). The first failure ends
 * the stream with its status. Used by gRPC's threads; state changes are guarded by one lock.
 */
final class GrpcOrderedStream<Q, R> implements StreamObserver<Q> {
    static final int WINDOW = 64;

    private final ServerCallStreamObserver<R> out;
    private final Function<Q, R> work;
    private final Executor executor;
    private final Object lock = new Object();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private boolean done;

    GrpcOrderedStream(StreamObserver<R> out, Function<Q, R> work, Executor executor) {
        this.out = (ServerCallStreamObserver<R>) out;
        this.work = work;
        this.executor = executor;
        this.out.disableAutoRequest();
        this.out.request(WINDOW);
    }

    @Override
    public void onNext(Q message) {
        synchronized (lock) {
            if (done) return;
            CompletableFuture<R> answer = CompletableFuture.supplyAsync(() -> work.apply(message), executor);
            tail = tail.thenCompose(previous -> answer.handle((value, failure) -> {
                deliver(value, failure);
                return null;
            }));
        }
    }

    private void deliver(R value, Throwable failure) {
        synchronized (lock) {
            if (done) return;
            if (failure != null) {
                done = true;
                out.onError(GrpcStatuses.of(failure));
            } else {
                out.onNext(value);
                out.request(1);
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (lock) {
            done = true; // the client cancelled: answers still being computed are dropped
        }
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            tail = tail.thenRun(() -> {
                synchronized (lock) {
                    if (!done) {
                        done = true;
                        out.onCompleted();
                    }
                }
            });
        }
    }
}
