package dev.onyx.server.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the server's refusals to gRPC status codes (as text-embeddings-inference does); stateless. */
final class GrpcStatuses {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {}

    /** The status a failure is answered with; anything but an {@link ApiException} is INTERNAL and logged. */
    static StatusRuntimeException of(Throwable failure) {
        Throwable e =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof StatusRuntimeException status) {
            return status;
        }
        if (e instanceof ApiException api) {
            return code(api.kind()).withDescription(api.getMessage()).asRuntimeException();
        }
        LOG.error("gRPC call failed", e);
        return Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException();
    }

    static Status code(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, EMPTY, PAYLOAD_TOO_LARGE, TOO_MANY_INPUTS, INPUT_TOO_LONG -> Status.INVALID_ARGUMENT;
            case UNAUTHORIZED -> Status.UNAUTHENTICATED;
            case NOT_FOUND, ROUTE_NOT_FOUND -> Status.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> Status.UNIMPLEMENTED;
            case REQUEST_TIMEOUT -> Status.DEADLINE_EXCEEDED;
            case OVERLOADED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    /** The HTTP status the metrics record a gRPC outcome under, so both APIs share one request counter. */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case CANCELLED -> 499;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }

    static StatusRuntimeException unimplemented(String what) {
        return Status.UNIMPLEMENTED
                .withDescription(what + " is not served by Onyx: it serves embedding models (tei.v1 Info, Embed/Embed,"
                        + " Embed/EmbedStream, Tokenize/Tokenize, Tokenize/TokenizeStream)")
                .asRuntimeException();
    }
}
