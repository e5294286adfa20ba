package example;

import java.util.List;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** Gets Onyx's EmbeddingModel injected, fills a vector store and answers a question. */
@SpringBootApplication
public class SearchApplication {
    public static void main(String[] args) {
        SpringApplication.run(SearchApplication.class, args).close();
    }

    @Bean
    CommandLineRunner search(EmbeddingModel embeddingModel) {
        return args -> {
            SimpleVectorStore store = SimpleVectorStore.builder(embeddingModel).build();
            store.add(List.of(
                    new Document("The Louisiana territory was purchased from France."),
                    new Document("Congress declared war on Great Britain in 1812."),
                    new Document("The transcontinental railroad was completed in 1869.")));
            List<Document> top = store.similaritySearch(
                    SearchRequest.builder().query("Who sold land to the United States?").topK(1).build());
            System.out.println("embedding model: " + embeddingModel.getClass().getName() + ", "
                    + embeddingModel.dimensions() + " dimensions");
            System.out.println("best match: " + top.get(0).getText());
        };
    }
}
