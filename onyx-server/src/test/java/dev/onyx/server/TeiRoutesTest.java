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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * text-embeddings-inference's routes for an embedding model, with TEI's request and response shapes (checked against
 * TEI's router/src/http/server.rs, types.rs and docs/openapi.json), over java.net.http against a real server.
 */
class TeiRoutesTest {
    private static final double SAME_MODEL_COSINE = 0.99999;
    private static final String TEXT = "Peace, commerce, and honest friendship with all nations.";

    private static Embedder embedder;
    private static EmbeddingServer server;

    @BeforeAll
    static void start() throws IOException {
        embedder = Embedder.open(ModelSource.defaultModel());
        server = EmbeddingServer.start(
                ServerConfig.defaults().withPort(0).withMaxClientBatch(4), Map.of("all-minilm-l6-v2", embedder));
    }

    @AfterAll
    static void stop() {
        server.close();
        embedder.close();
    }

    private static JsonNode teiError(HttpResponse<String> response, int status, String errorType) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response);
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(error.get("error_type").asText()).isEqualTo(errorType);
        return error;
    }

    @Test
    void rootAndInvocationsEmbedLikeEmbed() throws Exception {
        String body = toJson(Map.of("inputs", List.of(TEXT, "second")));
        JsonNode embed = json(post(server, "/embed", body));

        for (String path : List.of("/", "/invocations")) {
            HttpResponse<String> response = post(server, path, body);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            JsonNode vectors = json(response);
            assertThat(vectors).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(cosine(floats(vectors.get(i)), floats(embed.get(i))))
                        .isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
            }
        }
    }

    @Test
    void rootAndPingAreHealthChecks() throws Exception {
        for (String path : List.of("/", "/ping", "/health")) {
            HttpResponse<String> response = get(server, path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(json(response).get("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void embedAcceptsTokenIdsAsTeiDoes() throws Exception {
        long[] ids = embedder.tokenIds(TEXT);

        JsonNode vectors = json(post(server, "/embed", toJson(Map.of("inputs", List.of(ids)))));

        assertThat(cosine(floats(vectors.get(0)), embedder.embed(TEXT))).isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
    }

    @Test
    void embedAllGivesEveryTokensVectorWhoseMeanIsTheSentenceEmbedding() throws Exception {
        List<String> texts = List.of(TEXT, "Hello world");

        HttpResponse<String> response = post(server, "/embed_all", toJson(Map.of("inputs", texts)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode all = json(response);
        assertThat(all).hasSize(2);
        for (int t = 0; t < texts.size(); t++) {
            JsonNode tokens = all.get(t);
            assertThat(tokens).hasSize(embedder.tokenIds(texts.get(t)).length); // [CLS] ... [SEP] included
            // mean pooling over the unpadded tokens is what the model's sentence embedding is
            float[] mean = new float[TestSupport.DIM];
            for (JsonNode token : tokens) {
                float[] v = floats(token);
                assertThat(v).hasSize(TestSupport.DIM);
                for (int d = 0; d < mean.length; d++) mean[d] += v[d] / tokens.size();
            }
            assertThat(cosine(mean, embedder.embed(texts.get(t)))).isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
            // not normalized: raw hidden states
            assertThat(Math.abs(TestSupport.norm(floats(tokens.get(0))) - 1.0)).isGreaterThan(1e-2);
        }
    }

    @Test
    void embedAllRefusesAnOverlongInputWhenTruncationIsOff() throws Exception {
        String longText = "word ".repeat(300);

        JsonNode error = teiError(
                post(server, "/embed_all", toJson(Map.of("inputs", longText, "truncate", false))), 422, "Validation");
        HttpResponse<String> truncated = post(server, "/embed_all", toJson(Map.of("inputs", longText)));

        assertThat(error.get("error").asText()).contains("at most 256");
        assertThat(json(truncated).get(0)).hasSize(256);
    }

    @Test
    void similarityScoresTheSentencesAgainstTheSource() throws Exception {
        String source = "What is deep learning?";
        List<String> sentences = List.of("Deep learning is a kind of machine learning.", "I like pancakes.");
        String body = toJson(Map.of("inputs", Map.of("source_sentence", source, "sentences", sentences)));

        HttpResponse<String> response = post(server, "/similarity", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode scores = json(response);
        assertThat(scores).hasSize(2);
        float[] s = embedder.embed(source);
        for (int i = 0; i < 2; i++) {
            assertThat(scores.get(i).asDouble()).isCloseTo(cosine(s, embedder.embed(sentences.get(i))), within(1e-5));
        }
        assertThat(scores.get(0).asDouble()).isGreaterThan(scores.get(1).asDouble());
    }

    @Test
    void similarityChecksItsRequestShape() throws Exception {
        teiError(
                post(
                        server,
                        "/similarity",
                        toJson(Map.of("inputs", Map.of("source_sentence", "a", "sentences", List.of())))),
                400,
                "Empty");
        JsonNode flat =
                teiError(post(server, "/similarity", toJson(Map.of("inputs", List.of("a", "b")))), 400, "Validation");
        assertThat(flat.get("error").asText()).contains("source_sentence").contains("sentences");
        JsonNode missing = teiError(
                post(server, "/similarity", toJson(Map.of("inputs", Map.of("sentences", List.of("b"))))),
                400,
                "Validation");
        assertThat(missing.get("error").asText()).contains("inputs.source_sentence is required");
        // 4 inputs per request at most (withMaxClientBatch(4)), the source sentence counted
        JsonNode tooMany = teiError(
                post(
                        server,
                        "/similarity",
                        toJson(Map.of(
                                "inputs", Map.of("source_sentence", "a", "sentences", List.of("b", "c", "d", "e"))))),
                413,
                "Validation");
        assertThat(tooMany.get("error").asText()).contains("sentences has 4 items");
        JsonNode left = teiError(
                post(
                        server,
                        "/similarity",
                        toJson(Map.of(
                                "inputs", Map.of("source_sentence", "a", "sentences", List.of("b")),
                                "parameters", Map.of("truncation_direction", "left")))),
                400,
                "Validation");
        assertThat(left.get("error").asText()).contains("truncation_direction").contains("right");
        JsonNode tooLong = teiError(
                post(
                        server,
                        "/similarity",
                        toJson(Map.of(
                                "inputs",
                                        Map.of("source_sentence", "a", "sentences", List.of("b", "word ".repeat(300))),
                                "parameters", Map.of("truncate", false)))),
                422,
                "Validation");
        assertThat(tooLong.get("error").asText()).startsWith("inputs.sentences[1] has 302 tokens");
    }

    @Test
    void tokenizeListsTeiTokensWithByteOffsetsIntoTheInput() throws Exception {
        String text = "Zürich's naïve café 🎉 ok";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);

        JsonNode tokens =
                json(post(server, "/tokenize", toJson(Map.of("inputs", text)))).get(0);

        long[] ids = embedder.tokenIds(text);
        assertThat(tokens).hasSize(ids.length);
        JsonNode first = tokens.get(0);
        assertThat(first.get("text").asText()).isEqualTo("[CLS]");
        assertThat(first.get("special").asBoolean()).isTrue();
        assertThat(first.get("start").isNull()).isTrue();
        assertThat(first.get("stop").isNull()).isTrue();
        assertThat(tokens.get(ids.length - 1).get("text").asText()).isEqualTo("[SEP]");
        List<String> slices = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            JsonNode token = tokens.get(i);
            assertThat(token.get("id").asLong()).isEqualTo(ids[i]);
            if (!token.get("special").asBoolean()) {
                int start = token.get("start").asInt();
                int stop = token.get("stop").asInt();
                // TEI's rule: a token's text is the input's UTF-8 bytes start..stop
                assertThat(token.get("text").asText())
                        .isEqualTo(new String(utf8, start, stop - start, StandardCharsets.UTF_8));
                slices.add(token.get("text").asText());
            }
        }
        assertThat(slices).startsWith("Zürich", "'", "s").contains("🎉").endsWith("ok");
    }

    @Test
    void tokenizeHonoursAddSpecialTokensFalse() throws Exception {
        JsonNode without = json(post(
                server,
                "/tokenize",
                toJson(Map.of("inputs", List.of("Hello world", "again"), "add_special_tokens", false))));

        assertThat(without).hasSize(2);
        JsonNode hello = without.get(0);
        assertThat(hello).hasSize(2);
        assertThat(hello.get(0).get("text").asText()).isEqualTo("Hello");
        assertThat(hello.get(0).get("start").asInt()).isZero();
        assertThat(hello.get(0).get("stop").asInt()).isEqualTo(5);
        assertThat(hello.get(1).get("text").asText()).isEqualTo("world");
        assertThat(hello.get(1).get("start").asInt()).isEqualTo(6);
        assertThat(hello)
                .allSatisfy(t -> assertThat(t.get("special").asBoolean()).isFalse());
        long[] withSpecial = embedder.tokenIds("Hello world");
        assertThat(hello.get(0).get("id").asLong()).isEqualTo(withSpecial[1]);
    }

    @Test
    void tokenizeIsNotTruncated() throws Exception {
        JsonNode tokens = json(post(server, "/tokenize", toJson(Map.of("inputs", "word ".repeat(300)))))
                .get(0);

        assertThat(tokens).hasSize(302);
    }

    @Test
    void decodeTurnsIdsBackIntoText() throws Exception {
        long[] ids = embedder.tokenIds("Hello world, again");

        JsonNode one = json(post(server, "/decode", toJson(Map.of("ids", ids))));
        JsonNode keep = json(post(server, "/decode", toJson(Map.of("ids", ids, "skip_special_tokens", false))));
        JsonNode batch = json(post(server, "/decode", toJson(Map.of("ids", List.of(ids, embedder.tokenIds("bye"))))));

        assertThat(one).hasSize(1);
        assertThat(one.get(0).asText()).isEqualTo("hello world, again");
        assertThat(keep.get(0).asText()).isEqualTo("[CLS] hello world, again [SEP]");
        assertThat(batch.get(0).asText()).isEqualTo("hello world, again");
        assertThat(batch.get(1).asText()).isEqualTo("bye");
    }

    @Test
    void decodeRefusesBadIds() throws Exception {
        teiError(post(server, "/decode", toJson(Map.of("ids", List.of()))), 400, "Empty");
        JsonNode outside =
                teiError(post(server, "/decode", toJson(Map.of("ids", List.of(101, 999_999)))), 400, "Validation");
        assertThat(outside.get("error").asText()).contains("999999").contains("0 to 30521");
        JsonNode text = teiError(post(server, "/decode", toJson(Map.of("ids", List.of("hello")))), 400, "Validation");
        assertThat(text.get("error").asText()).contains("token ids");
        teiError(post(server, "/decode", toJson(Map.of("ids", "hello"))), 400, "Validation");
    }

    @Test
    void infoHasTeisFields() throws Exception {
        JsonNode info = json(get(server, "/info"));

        assertThat(info.get("model_id").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(info.get("served_model_name").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(info.get("model_type").get("embedding").get("pooling").asText())
                .isEqualTo("mean");
        assertThat(info.get("model_dtype").asText()).isEqualTo("float32");
        assertThat(info.has("model_sha")).isTrue();
        assertThat(info.get("max_input_length").asInt()).isEqualTo(256);
        assertThat(info.get("max_client_batch_size").asInt()).isEqualTo(4);
        assertThat(info.get("max_concurrent_requests").asInt()).isEqualTo(16_384);
        assertThat(info.get("max_batch_tokens").asInt()).isEqualTo(16_384);
        assertThat(info.get("max_batch_requests").isNull()).isTrue();
        assertThat(info.get("auto_truncate").asBoolean()).isTrue();
        assertThat(info.get("tokenization_workers").asInt()).isPositive();
        assertThat(info.get("version").asText()).isNotBlank();
        for (String nullable : List.of("sha", "docker_label"))
            assertThat(info.has(nullable)).isTrue();
    }

    @Test
    void anEmptyInputListIsTeisEmptyError() throws Exception {
        for (String path : List.of("/embed", "/embed_all", "/tokenize")) {
            JsonNode error = teiError(post(server, path, toJson(Map.of("inputs", List.of()))), 400, "Empty");
            assertThat(error.get("error").asText()).as(path).contains("inputs");
        }
    }
}
