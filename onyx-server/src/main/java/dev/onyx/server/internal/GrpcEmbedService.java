package dev.onyx.server.internal;

import dev.onyx.server.internal.tei.EmbedAllRequest;
import dev.onyx.server.internal.tei.EmbedAllResponse;
import dev.onyx.server.internal.tei.EmbedGrpc;
import dev.onyx.server.internal.tei.EmbedRequest;
import dev.onyx.server.internal.tei.EmbedResponse;
import dev.onyx.server.internal.tei.EmbedSparseRequest;
import dev.onyx.server.internal.tei.EmbedSparseResponse;
import dev.onyx.server.internal.tei.Metadata;
import dev.onyx.server.internal.tei.TokenEmbedding;
import dev.onyx.server.internal.tei.TruncationDirection;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;

/**
 * {@code tei.v1.Embed}: {@code Embed} and {@code EmbedStream} through the same models and batch schedulers as the
 * HTTP API; {@code EmbedAll} as HTTP's {@code /embed_all}; {@code EmbedSparse} answers UNIMPLEMENTED. Thread-safe.
 */
final class GrpcEmbedService extends EmbedGrpc.EmbedImplBase {
    private final Models models;
    private final Executor streamWork;

    GrpcEmbedService(Models models, Executor streamWork) {
        this.models = models;
        this.streamWork = streamWork;
    }

    @Override
    public void embed(EmbedRequest request, StreamObserver<EmbedResponse> out) {
        try {
            EmbedResponse response = embed(GrpcServices.model(models), request);
            out.onNext(response);
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcStatuses.of(e));
        }
    }

    @Override
    public StreamObserver<EmbedRequest> embedStream(StreamObserver<EmbedResponse> out) {
        ServedModel model;
        try {
            model = GrpcServices.model(models);
        } catch (RuntimeException e) {
            return GrpcServices.refuse(out, GrpcStatuses.of(e));
        }
        return new GrpcOrderedStream<>(out, request -> embed(model, request), streamWork);
    }

    private static void rightTruncation(TruncationDirection direction) {
        if (direction != TruncationDirection.TRUNCATION_DIRECTION_RIGHT) {
            throw ApiException.badRequest(
                    "truncation_direction",
                    "truncation_direction " + direction + " is not supported; allowed:"
                            + " TRUNCATION_DIRECTION_RIGHT (the default)");
        }
    }

    static EmbedResponse embed(ServedModel model, EmbedRequest request) {
        long start = System.nanoTime();
        String text = GrpcServices.text(request.getInputs());
        rightTruncation(request.getTruncationDirection());
        OptionalInt dimensions = OptionalInt.empty();
        if (request.hasDimensions()) {
            if (request.getDimensions() < 1) {
                throw ApiException.badRequest("dimensions", "dimensions must be at least 1, was 0");
            }
            dimensions = Models.dimensions(OptionalInt.of(request.getDimensions()), model, "dimensions");
        }
        Optional<String> promptName = request.hasPromptName() ? Optional.of(request.getPromptName()) : Optional.empty();
        Inputs inputs = Prompts.apply(new Inputs.Texts(List.of(text)), model, promptName, "prompt_name");
        ServedModel.Result result = model.embed(inputs, request.getTruncate(), "inputs");
        boolean normalize = !request.hasNormalize() || request.getNormalize();
        float[] vector = Vectors.finish(result.vectors()[0], dimensions, normalize);
        EmbedResponse.Builder response = EmbedResponse.newBuilder();
        for (float value : vector) response.addEmbeddings(value);
        return response.setMetadata(Metadata.newBuilder()
                        .setComputeChars(text.length())
                        .setComputeTokens((int) result.promptTokens())
                        .setTotalTimeNs(System.nanoTime() - start))
                .build();
    }

    @Override
    public void embedAll(EmbedAllRequest request, StreamObserver<EmbedAllResponse> out) {
        try {
            out.onNext(embedAll(GrpcServices.model(models), request));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcStatuses.of(e));
        }
    }

    @Override
    public StreamObserver<EmbedAllRequest> embedAllStream(StreamObserver<EmbedAllResponse> out) {
        ServedModel model;
        try {
            model = GrpcServices.model(models);
        } catch (RuntimeException e) {
            return GrpcServices.refuse(out, GrpcStatuses.of(e));
        }
        return new GrpcOrderedStream<>(out, request -> embedAll(model, request), streamWork);
    }

    /** The last hidden state of every token, as HTTP's {@code /embed_all}: run by a scheduler worker, alone. */
    static EmbedAllResponse embedAll(ServedModel model, EmbedAllRequest request) {
        long start = System.nanoTime();
        String text = GrpcServices.text(request.getInputs());
        rightTruncation(request.getTruncationDirection());
        Optional<String> promptName = request.hasPromptName() ? Optional.of(request.getPromptName()) : Optional.empty();
        Inputs inputs = Prompts.apply(new Inputs.Texts(List.of(text)), model, promptName, "prompt_name");
        long[] ids = model.encode(inputs, request.getTruncate(), "inputs").get(0);
        EmbedAllResponse.Builder response = EmbedAllResponse.newBuilder();
        for (float[] token : model.tokenEmbeddings(List.of(ids)).get(0)) {
            TokenEmbedding.Builder row = TokenEmbedding.newBuilder();
            for (float value : token) row.addEmbeddings(value);
            response.addTokenEmbeddings(row);
        }
        return response.setMetadata(Metadata.newBuilder()
                        .setComputeChars(text.length())
                        .setComputeTokens(ids.length)
                        .setTotalTimeNs(System.nanoTime() - start))
                .build();
    }

    @Override
    public void embedSparse(EmbedSparseRequest request, StreamObserver<EmbedSparseResponse> out) {
        out.onError(GrpcStatuses.unimplemented("tei.v1.Embed/EmbedSparse (needs a SPLADE model)"));
    }

    @Override
    public StreamObserver<EmbedSparseRequest> embedSparseStream(StreamObserver<EmbedSparseResponse> out) {
        return GrpcServices.refuse(
                out, GrpcStatuses.unimplemented("tei.v1.Embed/EmbedSparseStream (needs a SPLADE model)"));
    }
}
