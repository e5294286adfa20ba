package dev.onyx.server;

import static dev.onyx.server.TestSupport.cosine;
import static dev.onyx.server.TestSupport.floats;
import static dev.onyx.server.TestSupport.get;
import static dev.onyx.server.TestSupport.json;
import static dev.onyx.server.TestSupport.post;
import static dev.onyx.server.TestSupport.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Many concurrent small requests: each gets its own vectors in order, and the scheduler batches across requests. */
class ConcurrencyTest {
    private static final int CLIENTS = 64;
    private static final int REQUESTS_PER_CLIENT = 50;
    /** Same model; a text's vector differs only by the padding and order of the batch it ran in. */
    private static final double SAME_MODEL_COSINE = 0.99999;

    @Test
    void sixtyFourClientsGetTheirOwnVectorsInOrderFromSharedBatches() throws Exception {
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel());
                EmbeddingServer server = EmbeddingServer.start(
                        ServerConfig.defaults().withPort(0), Map.of("all-minilm-l6-v2", embedder))) {
            List<String> pool = shortTexts();
            Embeddings expected = embedder.embed(pool);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Callable<Integer>> work = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                long seed = c;
                work.add(() -> runClient(server, pool, expected, new Random(seed)));
            }
            int checked = 0;
            try {
                for (Future<Integer> f : clients.invokeAll(work)) checked += f.get();
            } finally {
                clients.shutdown();
            }

            assertThat(checked).isGreaterThan(CLIENTS * REQUESTS_PER_CLIENT);
            String metrics = get(server, "/metrics").body();
            double batches = metric(metrics, "onyx_batch_size_count\\{model=\"all-minilm-l6-v2\"}");
            double upToFour = metric(metrics, "onyx_batch_size_bucket\\{model=\"all-minilm-l6-v2\",le=\"4.0\"}");
            assertThat(batches).isLessThan(CLIENTS * REQUESTS_PER_CLIENT);
            assertThat(upToFour)
                    .as("batches of more inputs than one request carries")
                    .isLessThan(batches);
        }
    }

    /** Sends this client's requests one after another; returns how many vectors it checked. */
    private static int runClient(EmbeddingServer server, List<String> pool, Embeddings expected, Random random)
            throws Exception {
        int checked = 0;
        for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
            int n = 1 + random.nextInt(4);
            int[] picks = new int[n];
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                picks[i] = random.nextInt(pool.size());
                texts.add(pool.get(picks[i]));
            }
            HttpResponse<String> response =
                    post(server, "/v1/embeddings", toJson(Map.of("model", "all-minilm-l6-v2", "input", texts)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode data = json(response).get("data");
            assertThat(data).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
                float[] vector = floats(data.get(i).get("embedding"));
                assertThat(cosine(vector, expected.vector(picks[i]))).isGreaterThanOrEqualTo(SAME_MODEL_COSINE);
                checked++;
            }
        }
        return checked;
    }

    /** 40 distinct texts of one to three words: the test is about routing and batching, so inference stays cheap. */
    private static List<String> shortTexts() {
        String[] words = {"union", "liberty", "commerce", "peace", "treaty", "congress", "revenue", "navy"};
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < 40; i++) {
            String text = words[i % words.length];
            if (i >= words.length) text += " " + words[(i / words.length) % words.length];
            if (i >= 2 * words.length) text += " " + (i % 3 == 0 ? "now" : "then");
            if (!out.contains(text)) out.add(text);
        }
        return out;
    }

    private static double metric(String text, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("metric %s in%n%s", nameAndLabels, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
