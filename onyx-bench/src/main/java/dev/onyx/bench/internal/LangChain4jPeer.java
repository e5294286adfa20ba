package dev.onyx.bench.internal;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;

/**
 * The incumbent: LangChain4j's in-process {@code AllMiniLmL6V2EmbeddingModel}, used the way its documentation shows
 * (default constructor, {@code embedAll}). Thread-safe as LangChain4j's model is; holds no resources of its own.
 */
public final class LangChain4jPeer {
    /**
     * Where {@code AllMiniLmL6V2EmbeddingModel} truncates, special tokens included; every run checks it (the parity
     * note gives the minimum cosine over texts no longer than this).
     */
    public static final int MAX_TOKENS = 128;

    private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

    /** What one {@code embedAll} call returned: vectors in input order and LangChain4j's own token count. */
    public record Result(float[][] vectors, long tokens) {}

    public Result embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        Response<List<Embedding>> response = model.embedAll(segments);
        float[][] vectors = response.content().stream().map(Embedding::vector).toArray(float[][]::new);
        long tokens = response.tokenUsage() == null || response.tokenUsage().inputTokenCount() == null
                ? -1
                : response.tokenUsage().inputTokenCount();
        return new Result(vectors, tokens);
    }

    public float[] embed(String text) {
        return model.embed(text).content().vector();
    }
}
