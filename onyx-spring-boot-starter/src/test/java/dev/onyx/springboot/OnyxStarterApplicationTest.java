package dev.onyx.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.Similarity;
import dev.onyx.springai.OnyxEmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/** A Spring Boot application that gets its {@link EmbeddingModel} from the starter alone. */
@SpringBootTest(
        classes = OnyxStarterApplicationTest.App.class,
        properties = {"onyx.embedding.max-batch-size=8", "onyx.embedding.device=cpu"})
class OnyxStarterApplicationTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    EmbeddingModel embeddingModel;

    @Autowired
    Embedder embedder;

    @Autowired
    OnyxHealthIndicator health;

    @Autowired
    MeterRegistry meters;

    @Test
    void simpleVectorStoreFindsTheSentenceAQueryWasCutFrom() throws IOException {
        List<String> sentences;
        try (InputStream in = getClass().getResourceAsStream("/sotu-300.txt")) {
            sentences = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        }
        SimpleVectorStore store = SimpleVectorStore.builder(embeddingModel).build();
        store.add(sentences.stream().map(Document::new).toList());

        int found = 0;
        int queries = 0;
        for (int i = 5; i < sentences.size(); i += 10) {
            String[] words = sentences.get(i).split(" ");
            String query = String.join(" ", Arrays.copyOf(words, Math.max(4, words.length * 2 / 3)));
            List<Document> top = store.similaritySearch(
                    SearchRequest.builder().query(query).topK(1).build());
            queries++;
            if (top.get(0).getText().equals(sentences.get(i))) {
                found++;
            }
        }
        assertThat(found).as("queries answered by their own sentence").isGreaterThanOrEqualTo(queries * 9 / 10);
        assertThat(meters.counter("onyx.embedding.texts").count()).isGreaterThanOrEqualTo(sentences.size());
        assertThat(meters.counter("onyx.embedding.tokens").count()).isGreaterThan(sentences.size() * 3.0);
        assertThat(meters.timer("onyx.embedding.latency").count()).isPositive();
    }

    @Test
    void theInjectedModelIsOnyxsAndMatchesTheEmbedder() {
        assertThat(embeddingModel).isInstanceOf(OnyxEmbeddingModel.class);
        assertThat(embeddingModel.dimensions()).isEqualTo(384);
        List<String> texts = List.of("We the People", "a more perfect Union", "the general Welfare");
        List<float[]> vectors = embeddingModel.embed(texts);
        Embeddings expected = embedder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Similarity.cosine(vectors.get(i), expected.vector(i))).isGreaterThanOrEqualTo(0.99999);
        }
        assertThat(embedder.info().device().label()).isEqualTo("cpu");
    }

    @Test
    void healthIndicatorReportsTheModel() {
        var h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("model", "all-minilm-l6-v2").containsEntry("device", "cpu");
    }
}
