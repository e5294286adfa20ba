package dev.onyx.server;

import static dev.onyx.server.TestSupport.cosine;
import static dev.onyx.server.TestSupport.floats;
import static dev.onyx.server.TestSupport.get;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TEI-shaped and operational endpoints over java.net.http against a real server. */
class TeiEndpointsTest {
    private static final double SAME_MODEL_COSINE = 0.99999;
    private static final String TEXT = "Peace, commerce, and honest friendship with all nations.";

    private static Embedder embedder;
    private static EmbeddingServer server;

    @BeforeAll
    static void start() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
        server = EmbeddingServer.start(ServerConfig.defaults().withPort(0), Map.of("all-minilm-l6-v2", embedder));
    }

    @AfterAll
    static void stop() {
        server.close();
        embedder.close();
    }

    @Test
    void embedReturnsBareArraysEqualToTheReference() throws Exception {
        List<String> sentences = TestSupport.referenceSentences().subList(0, 30);
        float[][] reference = TestSupport.referenceVectors();

        HttpResponse<String> response = post(server, "/embed", toJson(Map.of("inputs", sentences)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(30);
        for (int i = 0; i < 30; i++) {
            assertThat(cosine(floats(body.get(i)), reference[i]))
                    .as("row %d", i)
                    .isGreaterThanOrEqualTo(0.9999);
            assertThat(cosine(floats(body.get(i)), embedder.embed(sentences.get(i))))
                    .isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
        }
    }

    @Test
    void embedAcceptsOneStringAndCanSkipNormalization() throws Exception {
        JsonNode normalized = json(post(server, "/embed", toJson(Map.of("inputs", TEXT))));
        JsonNode raw = json(post(server, "/embed", toJson(Map.of("inputs", TEXT, "normalize", false))));

        assertThat(normalized).hasSize(1);
        assertThat(TestSupport.norm(floats(normalized.get(0)))).isCloseTo(1.0, within(1e-5));
        float[] unnormalized = floats(raw.get(0));
        assertThat(Math.abs(TestSupport.norm(unnormalized) - 1.0)).isGreaterThan(1e-3);
        assertThat(cosine(unnormalized, embedder.embed(TEXT))).isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
    }

    @Test
    void embedCutsToTheRequestedDimensions() throws Exception {
        JsonNode body = json(post(server, "/embed", toJson(Map.of("inputs", List.of(TEXT), "dimensions", 128))));

        float[] cut = floats(body.get(0));
        assertThat(cut).hasSize(128);
        assertThat(TestSupport.norm(cut)).isCloseTo(1.0, within(1e-5));
        assertThat(cosine(cut, java.util.Arrays.copyOf(embedder.embed(TEXT), 128)))
                .isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
    }

    @Test
    void embedTruncatesLongTextsByDefault() throws Exception {
        String longText = "word ".repeat(400);

        HttpResponse<String> response = post(server, "/embed", toJson(Map.of("inputs", longText)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(cosine(floats(json(response).get(0)), embedder.embed(longText)))
                .isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
    }

    @Test
    void tokenizeReturnsTheIdsTheModelIsFed() throws Exception {
        JsonNode body = json(post(server, "/tokenize", toJson(Map.of("inputs", List.of("Hello world")))));

        JsonNode tokens = body.get(0);
        long[] expected = embedder.tokenIds("Hello world");
        assertThat(tokens).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(tokens.get(i).get("id").asLong()).isEqualTo(expected[i]);
        }
        assertThat(tokens.get(0).get("text").asText()).isEqualTo("[CLS]");
        assertThat(tokens.get(1).get("text").asText()).isEqualTo("Hello"); // TEI: the slice of the input
        assertThat(tokens.get(expected.length - 1).get("text").asText()).isEqualTo("[SEP]");
    }

    @Test
    void infoDescribesTheModelAndTheLimits() throws Exception {
        JsonNode info = json(get(server, "/info"));

        assertThat(info.get("model_id").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(info.get("max_input_length").asInt()).isEqualTo(256);
        assertThat(info.get("max_client_batch_size").asInt()).isEqualTo(2048);
        assertThat(info.get("max_batch_tokens").asInt()).isEqualTo(16_384);
        JsonNode model = info.get("models").get(0);
        assertThat(model.get("dimension").asInt()).isEqualTo(384);
        assertThat(model.get("pooling").asText()).isEqualTo("mean");
        assertThat(model.get("device").asText()).isEqualTo("cpu");
    }

    @Test
    void healthIsOkWhenTheProbeEmbeddingWorks() throws Exception {
        HttpResponse<String> response = get(server, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void metricsCountRequestsByEndpointAndStatusAndTimeEachPhase() throws Exception {
        post(server, "/embed", toJson(Map.of("inputs", TEXT)));
        post(server, "/embed", "{not json");

        String metrics = get(server, "/metrics").body();

        assertThat(metrics)
                .contains("onyx_http_requests_total{endpoint=\"/embed\",status=\"200\"}")
                .contains("onyx_http_requests_total{endpoint=\"/embed\",status=\"400\"}")
                .contains(
                        "onyx_request_phase_duration_seconds_count{model=\"all-minilm-l6-v2\",phase=\"tokenization\"}")
                .contains("onyx_request_phase_duration_seconds_count{model=\"all-minilm-l6-v2\",phase=\"queue\"}")
                .contains("onyx_request_phase_duration_seconds_count{model=\"all-minilm-l6-v2\",phase=\"inference\"}")
                .contains("onyx_batch_size_bucket{model=\"all-minilm-l6-v2\",le=\"1.0\"}")
                .contains("onyx_batch_tokens_count{model=\"all-minilm-l6-v2\"}")
                .contains("onyx_batch_padded_tokens_count{model=\"all-minilm-l6-v2\"}")
                .contains("onyx_batch_run_cost_tokens{model=\"all-minilm-l6-v2\"}")
                .contains("onyx_queue_depth{model=\"all-minilm-l6-v2\"}");
    }

    @Test
    void paddedTokensCountWhatEachRunComputedAndOneInputHasNoPadding() throws Exception {
        double tokens = metric("onyx_batch_tokens_sum");
        double padded = metric("onyx_batch_padded_tokens_sum");

        post(server, "/embed", toJson(Map.of("inputs", TEXT)));
        double oneTokens = metric("onyx_batch_tokens_sum") - tokens;
        double onePadded = metric("onyx_batch_padded_tokens_sum") - padded;
        assertThat(oneTokens).isPositive();
        assertThat(onePadded).as("a run of one input pads nothing").isEqualTo(oneTokens);

        post(server, "/embed", toJson(Map.of("inputs", List.of("Peace.", TEXT, TEXT + " " + TEXT))));
        double mixedTokens = metric("onyx_batch_tokens_sum") - tokens - oneTokens;
        double mixedPadded = metric("onyx_batch_padded_tokens_sum") - padded - onePadded;
        assertThat(mixedTokens).isGreaterThan(2 * oneTokens);
        assertThat(mixedPadded).isGreaterThanOrEqualTo(mixedTokens);
    }

    private static double metric(String name) throws Exception {
        String prefix = name + "{model=\"all-minilm-l6-v2\"} ";
        return get(server, "/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst()
                .orElse(0);
    }
}
