package dev.onyx.server;

import static dev.onyx.server.TestSupport.cosine;
import static dev.onyx.server.TestSupport.floats;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.norm;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.server.internal.tei.DecodeRequest;
import dev.onyx.server.internal.tei.EmbedAllRequest;
import dev.onyx.server.internal.tei.EmbedAllResponse;
import dev.onyx.server.internal.tei.EmbedGrpc;
import dev.onyx.server.internal.tei.EmbedRequest;
import dev.onyx.server.internal.tei.EmbedResponse;
import dev.onyx.server.internal.tei.EncodeRequest;
import dev.onyx.server.internal.tei.EncodeResponse;
import dev.onyx.server.internal.tei.InfoGrpc;
import dev.onyx.server.internal.tei.InfoRequest;
import dev.onyx.server.internal.tei.InfoResponse;
import dev.onyx.server.internal.tei.RerankGrpc;
import dev.onyx.server.internal.tei.RerankRequest;
import dev.onyx.server.internal.tei.TokenizeGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TEI's gRPC API driven by grpc-java's own generated client stubs over a real channel to a real server. */
class GrpcApiTest {
    static final String KEY = "s3cret";
    private static final String MODEL = "all-minilm-l6-v2";
    /** Same model, same texts; gRPC and HTTP may batch them differently, which moves floats by ~1e-7. */
    private static final double MIN_COSINE = 0.99999;

    private static Embedder embedder;
    private static EmbeddingServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
        server = EmbeddingServer.start(
                ServerConfig.defaults().withPort(0).withGrpcPort(0).withApiKey(KEY), Map.of(MODEL, embedder));
        channel = channel(server);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        if (server != null) server.close();
        if (embedder != null) embedder.close();
    }

    static ManagedChannel channel(EmbeddingServer server) {
        return Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", server.grpcPort().orElseThrow(), InsecureChannelCredentials.create())
                .build();
    }

    static ClientInterceptor headers(String... pairs) {
        Metadata metadata = new Metadata();
        for (int i = 0; i < pairs.length; i += 2) {
            metadata.put(Metadata.Key.of(pairs[i], Metadata.ASCII_STRING_MARSHALLER), pairs[i + 1]);
        }
        return MetadataUtils.newAttachHeadersInterceptor(metadata);
    }

    private static EmbedGrpc.EmbedBlockingStub embed() {
        return EmbedGrpc.newBlockingStub(channel).withInterceptors(headers("authorization", "Bearer " + KEY));
    }

    private static float[] httpVector(String text) throws Exception {
        HttpResponse<String> response =
                post(server, "/embed", toJson(Map.of("inputs", text)), "Authorization", "Bearer " + KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return floats(json(response).get(0));
    }

    private static float[] vector(EmbedResponse response) {
        float[] out = new float[response.getEmbeddingsCount()];
        for (int i = 0; i < out.length; i++) out[i] = response.getEmbeddings(i);
        return out;
    }

    @Test
    void unaryEmbedGivesTheHttpApisVectors() throws Exception {
        for (String text : List.of("The cat sat on the mat.", "gRPC and HTTP share one model", "naïve café")) {
            EmbedResponse response =
                    embed().embed(EmbedRequest.newBuilder().setInputs(text).build());
            float[] grpc = vector(response);
            assertThat(grpc).hasSize(384);
            assertThat(cosine(grpc, httpVector(text))).isGreaterThanOrEqualTo(MIN_COSINE);
            assertThat(norm(grpc)).isCloseTo(1.0, within(1e-5));
            assertThat(response.getMetadata().getComputeTokens()).isEqualTo(embedder.tokenIds(text).length);
            assertThat(response.getMetadata().getComputeChars()).isEqualTo(text.length());
        }
    }

    @Test
    void dimensionsAndNormalizeFollowTheRequest() throws Exception {
        String text = "Matryoshka vectors keep their head";
        float[] cut = vector(embed().embed(EmbedRequest.newBuilder()
                .setInputs(text)
                .setDimensions(64)
                .build()));
        float[] raw = vector(embed().embed(EmbedRequest.newBuilder()
                .setInputs(text)
                .setNormalize(false)
                .build()));
        assertThat(cut).hasSize(64);
        assertThat(norm(cut)).isCloseTo(1.0, within(1e-5));
        assertThat(norm(raw)).isGreaterThan(1.5); // MiniLM's raw mean-pooled vectors are far from unit length
        assertThat(cosine(raw, httpVector(text))).isGreaterThanOrEqualTo(MIN_COSINE);
    }

    @Test
    void embedStreamAnswersEveryMessageInOrder() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) texts.add("message " + i + " of a stream about " + (i % 2 == 0 ? "cats" : "tax"));
        List<EmbedResponse> answers = stream(
                EmbedGrpc.newStub(channel).withInterceptors(headers("authorization", "Bearer " + KEY))::embedStream,
                texts.stream()
                        .map(t -> EmbedRequest.newBuilder().setInputs(t).build())
                        .toList());
        assertThat(answers).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = vector(embed().embed(
                            EmbedRequest.newBuilder().setInputs(texts.get(i)).build()));
            assertThat(cosine(vector(answers.get(i)), expected))
                    .as("message " + i)
                    .isGreaterThanOrEqualTo(MIN_COSINE);
        }
    }

    @Test
    void tokenizeAndItsStreamGiveTheModelsTokenIds() throws Exception {
        var tokenize =
                TokenizeGrpc.newBlockingStub(channel).withInterceptors(headers("authorization", "Bearer " + KEY));
        String text = "Tokenizers split unaffordable words";
        EncodeResponse one = tokenize.tokenize(EncodeRequest.newBuilder()
                .setInputs(text)
                .setAddSpecialTokens(true)
                .build());
        long[] expected = embedder.tokenIds(text);
        assertThat(one.getTokensList()).extracting(t -> (long) t.getId()).containsExactly(box(expected));
        assertThat(one.getTokens(0).getText()).isEqualTo("[CLS]");

        List<EncodeResponse> streamed = stream(
                TokenizeGrpc.newStub(channel).withInterceptors(headers("authorization", "Bearer " + KEY))
                        ::tokenizeStream,
                List.of(
                        EncodeRequest.newBuilder()
                                .setInputs("first")
                                .setAddSpecialTokens(true)
                                .build(),
                        EncodeRequest.newBuilder()
                                .setInputs(text)
                                .setAddSpecialTokens(true)
                                .build()));
        assertThat(streamed).hasSize(2);
        assertThat(streamed.get(1).getTokensList())
                .extracting(t -> (long) t.getId())
                .containsExactly(box(expected));
    }

    @Test
    void tokenizeGivesTeisFieldsAndDecodeAndEmbedAllAnswer() {
        var tokenize =
                TokenizeGrpc.newBlockingStub(channel).withInterceptors(headers("authorization", "Bearer " + KEY));
        String text = "Café prices";
        // proto3's default for add_special_tokens is false, and TEI honours it
        EncodeResponse plain =
                tokenize.tokenize(EncodeRequest.newBuilder().setInputs(text).build());
        assertThat(plain.getTokensList()).noneMatch(t -> t.getSpecial());
        assertThat(plain.getTokens(0).getText()).isEqualTo("Café");
        assertThat(plain.getTokens(0).getStart()).isZero();
        assertThat(plain.getTokens(0).getStop()).isEqualTo(5); // UTF-8 bytes: é is two
        EncodeResponse special = tokenize.tokenize(EncodeRequest.newBuilder()
                .setInputs(text)
                .setAddSpecialTokens(true)
                .build());
        assertThat(special.getTokens(0).getSpecial()).isTrue();
        assertThat(special.getTokens(0).hasStart()).isFalse();

        DecodeRequest.Builder decode = DecodeRequest.newBuilder().setSkipSpecialTokens(true);
        for (long id : embedder.tokenIds("hello world")) decode.addIds((int) id);
        assertThat(tokenize.decode(decode.build()).getText()).isEqualTo("hello world");

        EmbedAllResponse all = embed().embedAll(
                        EmbedAllRequest.newBuilder().setInputs("hello world").build());
        float[][] expected = embedder.tokenEmbeddings(embedder.tokenIds("hello world"));
        assertThat(all.getTokenEmbeddingsCount()).isEqualTo(expected.length);
        for (int t = 0; t < expected.length; t++) {
            float[] got = new float[all.getTokenEmbeddings(t).getEmbeddingsCount()];
            for (int i = 0; i < got.length; i++)
                got[i] = all.getTokenEmbeddings(t).getEmbeddings(i);
            assertThat(dev.onyx.embed.Similarity.cosine(got, expected[t])).isGreaterThan(0.99999);
        }
    }

    @Test
    void infoDescribesTheDefaultModelAndLimits() {
        InfoResponse info = InfoGrpc.newBlockingStub(channel)
                .withInterceptors(headers("authorization", "Bearer " + KEY))
                .info(InfoRequest.getDefaultInstance());
        assertThat(info.getModelId()).isEqualTo(MODEL);
        assertThat(info.getMaxInputLength()).isEqualTo(256);
        assertThat(info.getMaxClientBatchSize()).isEqualTo(2048);
        assertThat(info.getVersion()).isEqualTo(EmbeddingServer.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(info.getModelSha()).hasSize(64);
    }

    @Test
    void badRequestsGetTheirStatusCodeNamingTheField() {
        assertStatus(
                () -> embed().embed(EmbedRequest.newBuilder().setInputs("").build()),
                Status.Code.INVALID_ARGUMENT,
                "inputs");
        assertStatus(
                () -> embed().embed(EmbedRequest.newBuilder()
                        .setInputs("x")
                        .setDimensions(1000)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "dimensions is 1000");
        assertStatus(
                () -> embed().embed(EmbedRequest.newBuilder()
                        .setInputs("word ".repeat(400))
                        .setTruncate(false)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "inputs[0] has");
        assertStatus(
                () -> embed().embed(EmbedRequest.newBuilder()
                        .setInputs("x")
                        .setPromptName("query")
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "no prompt named 'query'");
        assertStatus(
                () -> EmbedGrpc.newBlockingStub(channel)
                        .withInterceptors(headers("authorization", "Bearer " + KEY, "model", "nope"))
                        .embed(EmbedRequest.newBuilder().setInputs("x").build()),
                Status.Code.NOT_FOUND,
                "model 'nope' is not served here");
        assertStatus(
                () -> RerankGrpc.newBlockingStub(channel)
                        .withInterceptors(headers("authorization", "Bearer " + KEY))
                        .rerank(RerankRequest.newBuilder()
                                .setQuery("q")
                                .addTexts("t")
                                .build()),
                Status.Code.UNIMPLEMENTED,
                "needs a cross-encoder");
        assertStatus(
                () -> TokenizeGrpc.newBlockingStub(channel)
                        .withInterceptors(headers("authorization", "Bearer " + KEY))
                        .decode(DecodeRequest.newBuilder().addIds(99_999_999).build()),
                Status.Code.INVALID_ARGUMENT,
                "ids[0]");
        // the long input was refused, the server still answers
        assertThat(vector(embed().embed(
                                EmbedRequest.newBuilder().setInputs("still up").build())))
                .hasSize(384);
    }

    @Test
    void theApiKeyGuardsTeiServicesButNotHealthOrReflection() {
        assertStatus(
                () -> EmbedGrpc.newBlockingStub(channel)
                        .embed(EmbedRequest.newBuilder().setInputs("x").build()),
                Status.Code.UNAUTHENTICATED,
                "authorization: Bearer");
        assertStatus(
                () -> EmbedGrpc.newBlockingStub(channel)
                        .withInterceptors(headers("authorization", "Bearer wrong"))
                        .embed(EmbedRequest.newBuilder().setInputs("x").build()),
                Status.Code.UNAUTHENTICATED,
                "invalid API key");
        assertThat(HealthGrpc.newBlockingStub(channel)
                        .check(HealthCheckRequest.getDefaultInstance())
                        .getStatus())
                .isEqualTo(ServingStatus.SERVING);
        assertThat(HealthGrpc.newBlockingStub(channel)
                        .check(HealthCheckRequest.newBuilder()
                                .setService("tei.v1.Embed")
                                .build())
                        .getStatus())
                .isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheServices() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests =
                ServerReflectionGrpc.newStub(channel).serverReflectionInfo(observer(answer::complete, answer));
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        List<String> services = answer.get(30, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName)
                .toList();
        assertThat(services)
                .contains(
                        "tei.v1.Info",
                        "tei.v1.Embed",
                        "tei.v1.Tokenize",
                        "tei.v1.Rerank",
                        "grpc.health.v1.Health",
                        "grpc.reflection.v1.ServerReflection");

        // the older v1alpha protocol, which many tools still try first
        CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> alpha = new CompletableFuture<>();
        var alphaRequests = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(observer(alpha::complete, alpha));
        alphaRequests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("tei.v1.Embed")
                .build());
        alphaRequests.onCompleted();
        assertThat(alpha.get(30, TimeUnit.SECONDS).getFileDescriptorResponse().getFileDescriptorProtoCount())
                .isPositive();
    }

    @Test
    void callsAreCountedInTheServersMetrics() throws Exception {
        embed().embed(EmbedRequest.newBuilder().setInputs("counted").build());
        String metrics = TestSupport.get(server, "/metrics", "Authorization", "Bearer " + KEY)
                .body();
        assertThat(metrics).contains("endpoint=\"grpc tei.v1.Embed/Embed\",status=\"200\"");
    }

    @Test
    void moreQueuedInputsThanTheLimitIsResourceExhausted() throws Exception {
        ServerConfig config = ServerConfig.defaults()
                .withPort(0)
                .withGrpcPort(0)
                .withMaxClientBatch(1)
                .withMaxConcurrentInputs(2);
        String longText = "liberty and union ".repeat(80);
        List<Status.Code> codes = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (EmbeddingServer small = EmbeddingServer.start(config, Map.of(MODEL, embedder))) {
            ManagedChannel smallChannel = channel(small);
            try {
                var stub = EmbedGrpc.newBlockingStub(smallChannel);
                for (int round = 0; round < 5 && !codes.contains(Status.Code.RESOURCE_EXHAUSTED); round++) {
                    List<Future<?>> calls = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        calls.add(pool.submit(() -> {
                            try {
                                stub.embed(EmbedRequest.newBuilder()
                                        .setInputs(longText)
                                        .setTruncate(true)
                                        .build());
                                codes.add(Status.Code.OK);
                            } catch (StatusRuntimeException e) {
                                codes.add(e.getStatus().getCode());
                                if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                                    assertThat(e.getStatus().getDescription()).contains("--max-concurrent-inputs");
                                }
                            }
                        }));
                    }
                    for (Future<?> call : calls) call.get();
                }
                assertThat(vector(stub.embed(EmbedRequest.newBuilder()
                                .setInputs("still serving")
                                .build())))
                        .hasSize(384);
            } finally {
                smallChannel.shutdownNow();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(codes).containsOnly(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED);
        assertThat(codes).contains(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void closingTheServerStopsGrpcToo() throws Exception {
        EmbeddingServer other =
                EmbeddingServer.start(ServerConfig.defaults().withPort(0).withGrpcPort(0), Map.of(MODEL, embedder));
        ManagedChannel otherChannel = channel(other);
        try {
            var stub = EmbedGrpc.newBlockingStub(otherChannel);
            assertThat(vector(stub.embed(
                            EmbedRequest.newBuilder().setInputs("before").build())))
                    .hasSize(384);
            other.close();
            assertStatus(
                    () -> stub.embed(
                            EmbedRequest.newBuilder().setInputs("after").build()),
                    Status.Code.UNAVAILABLE,
                    "");
        } finally {
            otherChannel.shutdownNow();
            other.close();
        }
    }

    @Test
    void aStreamInFlightWhenTheServerClosesIsAnsweredToTheEnd() throws Exception {
        EmbeddingServer other =
                EmbeddingServer.start(ServerConfig.defaults().withPort(0).withGrpcPort(0), Map.of(MODEL, embedder));
        ManagedChannel otherChannel = channel(other);
        try {
            List<EmbedResponse> answers = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<EmbedRequest> requests =
                    EmbedGrpc.newStub(otherChannel).embedStream(observer(answers::add, done));
            requests.onNext(
                    EmbedRequest.newBuilder().setInputs("sent before close").build());
            // the stream is in flight once the server has answered on it; before that its HTTP/2 stream may still be
            // on the wire, and a stream arriving after close() began is refused like any new call (CI saw exactly that)
            for (int i = 0; i < 2_400 && answers.isEmpty() && !done.isDone(); i++) Thread.sleep(50);
            assertThat(answers)
                    .as("the first message of the stream is answered")
                    .hasSize(1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(other::close);
            var unary = EmbedGrpc.newBlockingStub(otherChannel);
            boolean refusing = false;
            for (int i = 0; i < 600 && !refusing; i++) { // until close() has begun: new calls are refused
                try {
                    unary.embed(EmbedRequest.newBuilder().setInputs("probe").build());
                    Thread.sleep(50);
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    refusing = true;
                }
            }
            assertThat(refusing).as("close() refuses new calls").isTrue();
            assertThat(closing).as("close() waits for the open stream").isNotDone();
            requests.onNext(
                    EmbedRequest.newBuilder().setInputs("sent while closing").build());
            requests.onCompleted();
            done.get(120, TimeUnit.SECONDS);
            assertThat(answers).hasSize(2);
            closing.get(120, TimeUnit.SECONDS);
        } finally {
            otherChannel.shutdownNow();
            other.close();
        }
    }

    static <Q, R> List<R> stream(Function<StreamObserver<R>, StreamObserver<Q>> call, List<Q> messages)
            throws Exception {
        List<R> answers = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<Q> requests = call.apply(observer(answers::add, done));
        for (Q message : messages) requests.onNext(message);
        requests.onCompleted();
        done.get(120, TimeUnit.SECONDS);
        return answers;
    }

    private static <R> StreamObserver<R> observer(java.util.function.Consumer<R> each, CompletableFuture<?> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                each.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(code);
            assertThat(String.valueOf(e.getStatus().getDescription())).contains(message);
        });
    }

    private static Long[] box(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }
}
