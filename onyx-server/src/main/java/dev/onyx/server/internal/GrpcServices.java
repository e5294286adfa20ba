package dev.onyx.server.internal;

import dev.onyx.embed.Token;
import dev.onyx.runtime.OnyxException;
import dev.onyx.server.ServerConfig;
import dev.onyx.server.internal.tei.DecodeRequest;
import dev.onyx.server.internal.tei.DecodeResponse;
import dev.onyx.server.internal.tei.EncodeRequest;
import dev.onyx.server.internal.tei.EncodeResponse;
import dev.onyx.server.internal.tei.InfoGrpc;
import dev.onyx.server.internal.tei.InfoRequest;
import dev.onyx.server.internal.tei.InfoResponse;
import dev.onyx.server.internal.tei.ModelType;
import dev.onyx.server.internal.tei.PredictGrpc;
import dev.onyx.server.internal.tei.PredictPairRequest;
import dev.onyx.server.internal.tei.PredictRequest;
import dev.onyx.server.internal.tei.PredictResponse;
import dev.onyx.server.internal.tei.RerankGrpc;
import dev.onyx.server.internal.tei.RerankRequest;
import dev.onyx.server.internal.tei.RerankResponse;
import dev.onyx.server.internal.tei.RerankStreamRequest;
import dev.onyx.server.internal.tei.SimpleToken;
import dev.onyx.server.internal.tei.TokenizeGrpc;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The small {@code tei.v1} services ({@code Info}, {@code Tokenize}, and {@code Predict} / {@code Rerank}, which
 * answer UNIMPLEMENTED) and the helpers the services share. Thread-safe.
 */
final class GrpcServices {
    private GrpcServices() {}

    /** The model the current call names in its {@code model} metadata, or the default; NOT_FOUND otherwise. */
    static ServedModel model(Models models) {
        return models.find(Optional.ofNullable(GrpcEdge.MODEL_NAME.get()), "model");
    }

    static String text(String inputs) {
        if (inputs.isEmpty()) {
            throw ApiException.badRequest(
                    "inputs", "inputs is an empty string; every input needs at least one character");
        }
        return inputs;
    }

    /** Ends a stream at once with {@code status} and ignores what the client still sends. */
    static <Q> StreamObserver<Q> refuse(StreamObserver<?> out, StatusRuntimeException status) {
        out.onError(status);
        return new StreamObserver<>() {
            @Override
            public void onNext(Q value) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }

    /** {@code tei.v1.Info}: the default model and the server's limits, in TEI's fields. */
    static final class Info extends InfoGrpc.InfoImplBase {
        private final Models models;
        private final ServerConfig config;
        private final String version;

        Info(Models models, ServerConfig config, String version) {
            this.models = models;
            this.config = config;
            this.version = version;
        }

        @Override
        public void info(InfoRequest request, StreamObserver<InfoResponse> out) {
            try {
                ServedModel model = model(models);
                out.onNext(InfoResponse.newBuilder()
                        .setVersion(version)
                        .setModelId(model.name())
                        .setModelSha(model.info().modelSha256())
                        .setModelDtype(model.info().precision().dtype())
                        .setModelType(ModelType.MODEL_TYPE_EMBEDDING)
                        .setMaxConcurrentRequests(config.maxConcurrentInputs())
                        .setMaxInputLength(model.info().maxTokens())
                        .setMaxBatchTokens(config.maxBatchTokens())
                        .setMaxClientBatchSize(config.maxClientBatch())
                        .setTokenizationWorkers(0) // requests are tokenized on their own threads, not by workers
                        .build());
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(GrpcStatuses.of(e));
            }
        }
    }

    /** {@code tei.v1.Tokenize}: tokens with their places in the text (TEI's fields), and Decode. */
    static final class Tokenize extends TokenizeGrpc.TokenizeImplBase {
        private final Models models;
        private final Executor streamWork;

        Tokenize(Models models, Executor streamWork) {
            this.models = models;
            this.streamWork = streamWork;
        }

        @Override
        public void tokenize(EncodeRequest request, StreamObserver<EncodeResponse> out) {
            try {
                out.onNext(encode(model(models), request));
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(GrpcStatuses.of(e));
            }
        }

        @Override
        public StreamObserver<EncodeRequest> tokenizeStream(StreamObserver<EncodeResponse> out) {
            ServedModel model;
            try {
                model = model(models);
            } catch (RuntimeException e) {
                return refuse(out, GrpcStatuses.of(e));
            }
            return new GrpcOrderedStream<>(out, request -> encode(model, request), streamWork);
        }

        /**
         * As TEI: untruncated tokens, special ones only when {@code add_special_tokens}; a text token's {@code text} is
         * the slice of the input it covers and {@code start}/{@code stop} are UTF-8 byte offsets into it.
         */
        private static EncodeResponse encode(ServedModel model, EncodeRequest request) {
            String text = text(request.getInputs());
            String fed = request.hasPromptName()
                    ? ((Inputs.Texts) Prompts.apply(
                                    new Inputs.Texts(List.of(text)),
                                    model,
                                    Optional.of(request.getPromptName()),
                                    "prompt_name"))
                            .texts()
                            .get(0)
                    : text;
            EncodeResponse.Builder response = EncodeResponse.newBuilder();
            for (Token token : model.embedder().tokenize(fed, request.getAddSpecialTokens())) {
                SimpleToken.Builder out = SimpleToken.newBuilder().setId((int) token.id());
                if (token.special()) {
                    out.setText(token.piece()).setSpecial(true);
                } else {
                    out.setText(fed.substring(token.start(), token.end()))
                            .setSpecial(false)
                            .setStart(TeiTokenApi.utf8Length(fed, token.start()))
                            .setStop(TeiTokenApi.utf8Length(fed, token.end()));
                }
                response.addTokens(out);
            }
            return response.build();
        }

        @Override
        public void decode(DecodeRequest request, StreamObserver<DecodeResponse> out) {
            try {
                out.onNext(decode(model(models), request));
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(GrpcStatuses.of(e));
            }
        }

        @Override
        public StreamObserver<DecodeRequest> decodeStream(StreamObserver<DecodeResponse> out) {
            ServedModel model;
            try {
                model = model(models);
            } catch (RuntimeException e) {
                return refuse(out, GrpcStatuses.of(e));
            }
            return new GrpcOrderedStream<>(out, request -> decode(model, request), streamWork);
        }

        private static DecodeResponse decode(ServedModel model, DecodeRequest request) {
            long[] ids = new long[request.getIdsCount()];
            for (int i = 0; i < ids.length; i++) ids[i] = Integer.toUnsignedLong(request.getIds(i));
            try {
                return DecodeResponse.newBuilder()
                        .setText(model.embedder().decode(ids, request.getSkipSpecialTokens()))
                        .build();
            } catch (OnyxException e) {
                throw ApiException.badRequest("ids", e.getMessage());
            }
        }
    }

    /** {@code tei.v1.Predict}: needs a classifier model, which Onyx does not serve. */
    static final class Predict extends PredictGrpc.PredictImplBase {
        private static final String WHAT = "tei.v1.Predict (needs a sequence-classification model)";

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            out.onError(GrpcStatuses.unimplemented(WHAT));
        }

        @Override
        public void predictPair(PredictPairRequest request, StreamObserver<PredictResponse> out) {
            out.onError(GrpcStatuses.unimplemented(WHAT));
        }

        @Override
        public StreamObserver<PredictRequest> predictStream(StreamObserver<PredictResponse> out) {
            return refuse(out, GrpcStatuses.unimplemented(WHAT));
        }

        @Override
        public StreamObserver<PredictPairRequest> predictPairStream(StreamObserver<PredictResponse> out) {
            return refuse(out, GrpcStatuses.unimplemented(WHAT));
        }
    }

    /** {@code tei.v1.Rerank}: needs a cross-encoder (reranker) model, which Onyx does not serve. */
    static final class Rerank extends RerankGrpc.RerankImplBase {
        private static final String WHAT = "tei.v1.Rerank (needs a cross-encoder reranker model)";

        @Override
        public void rerank(RerankRequest request, StreamObserver<RerankResponse> out) {
            out.onError(GrpcStatuses.unimplemented(WHAT));
        }

        @Override
        public StreamObserver<RerankStreamRequest> rerankStream(StreamObserver<RerankResponse> out) {
            return refuse(out, GrpcStatuses.unimplemented(WHAT));
        }
    }
}
