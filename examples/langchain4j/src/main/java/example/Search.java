package example;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.onyx.langchain4j.OnyxEmbeddingModel;
import java.util.List;

/** Ingests a few sentences with Onyx's in-process embeddings and retrieves the one closest to a question. */
public class Search {
    public static void main(String[] args) {
        try (OnyxEmbeddingModel model = OnyxEmbeddingModel.builder().build()) { // bundled all-MiniLM-L6-v2
            InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
            EmbeddingStoreIngestor.builder().embeddingModel(model).embeddingStore(store).build().ingest(List.of(
                    Document.from("The Louisiana territory was purchased from France."),
                    Document.from("Congress declared war on Great Britain in 1812."),
                    Document.from("The transcontinental railroad was completed in 1869.")));
            var retriever = EmbeddingStoreContentRetriever.builder()
                    .embeddingModel(model.queries())
                    .embeddingStore(store)
                    .maxResults(1)
                    .build();
            String best = retriever.retrieve(Query.from("When did trains first cross the continent?"))
                    .get(0).textSegment().text();
            System.out.println("model: " + model.modelName() + ", " + model.dimension() + " dimensions");
            System.out.println("best match: " + best);
        }
    }
}
