package dev.onyx.mcp.internal;

import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelInfo;
import dev.onyx.embed.Similarity;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The embedding tools ({@code embed}, {@code similarity}, {@code search}, {@code model_info}) over open embedders;
 * thread-safe, as the embedders are. It does not own the embedders: whoever opened them closes them.
 */
final class EmbeddingTools {
    /** Most texts one {@code embed} or {@code similarity} call takes. */
    static final int MAX_TEXTS = 1024;
    /** Most documents one {@code search} call ranks. */
    static final int MAX_DOCUMENTS = 1000;

    private final Map<String, Embedder> models;
    private final String defaultModel;
    private final ToolResults results;

    /** @param models name → embedder, in order; the first is the default */
    EmbeddingTools(Map<String, Embedder> models, ToolResults results) {
        this.models = new LinkedHashMap<>(models);
        this.defaultModel = models.keySet().iterator().next();
        this.results = results;
    }

    List<SyncToolSpecification> specifications() {
        return List.of(embed(), similarity(), search(), modelInfo());
    }

    private Map<String, Object> modelProperty() {
        return Schemas.stringEnum(
                "Model to use (default: " + defaultModel + "); see model_info.", List.copyOf(models.keySet()));
    }

    private SyncToolSpecification embed() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("texts", Schemas.strings("Texts to embed, in order.", 1, MAX_TEXTS));
        properties.put("model", modelProperty());
        properties.put(
                "prompt_name",
                Schemas.string("Name of a prompt the model defines (see model_info), e.g. query or passage."));
        properties.put(
                "dimensions",
                Schemas.integer(
                        "Keep only the first N dimensions (Matryoshka), L2-normalized again when the model normalizes.",
                        1,
                        1 << 16));
        return ToolSpecs.of(
                "embed",
                "Embed texts into vectors with a sentence-transformers model. Returns {model, dimension, vectors,"
                        + " token_counts}.",
                Schemas.object(properties, List.of("texts")),
                results,
                this::callEmbed);
    }

    private Map<String, Object> callEmbed(Args args) {
        List<String> texts = args.texts("texts", 1, MAX_TEXTS);
        String name = modelName(args);
        Embedder embedder = models.get(name);
        int dimension = embedder.dimension();
        OptionalInt dimensions = args.optionalInt("dimensions", 1, 1 << 16);
        if (dimensions.isPresent() && dimensions.getAsInt() > dimension) {
            throw args.error("'dimensions' is " + dimensions.getAsInt() + " but model '" + name + "' has " + dimension
                    + "; allowed: 1 to " + dimension);
        }
        EmbedRequest request = EmbedRequest.defaults();
        Optional<String> promptName = args.optionalString("prompt_name");
        if (promptName.isPresent()) {
            if (!embedder.prompts().containsKey(promptName.get())) {
                throw args.error("model '" + name + "' has no prompt named '" + promptName.get() + "'; allowed: "
                        + embedder.prompts().keySet());
            }
            request = request.withPromptName(promptName.get());
        }
        if (dimensions.isPresent()) {
            request = request.withDimensions(dimensions.getAsInt());
        }
        Embeddings embeddings = embedder.embed(texts, request);
        List<float[]> vectors = new ArrayList<>(texts.size());
        List<Integer> tokenCounts = new ArrayList<>(texts.size());
        for (int i = 0; i < embeddings.size(); i++) {
            vectors.add(embeddings.vector(i));
            tokenCounts.add(embeddings.tokenCount(i));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name);
        out.put("dimension", dimensions.orElse(dimension));
        out.put("vectors", vectors);
        out.put("token_counts", tokenCounts);
        return out;
    }

    private SyncToolSpecification similarity() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(
                "pairs",
                Map.of(
                        "type",
                        "array",
                        "description",
                        "Pairs of texts to compare: [[a, b], ...]. Give pairs, or text and texts.",
                        "items",
                        Map.of("type", "array", "items", Map.of("type", "string"), "minItems", 2, "maxItems", 2),
                        "minItems",
                        1,
                        "maxItems",
                        MAX_TEXTS / 2));
        properties.put("text", Schemas.string("One text to compare against each of texts."));
        properties.put("texts", Schemas.strings("Texts to compare text against.", 1, MAX_TEXTS - 1));
        properties.put("model", modelProperty());
        return ToolSpecs.of(
                "similarity",
                "Cosine similarity of text pairs, or of one text against many. Returns {model, scores} in input order.",
                Schemas.object(properties, List.of()),
                results,
                this::callSimilarity);
    }

    private Map<String, Object> callSimilarity(Args args) {
        String name = modelName(args);
        boolean pairs = args.has("pairs");
        if (pairs == (args.has("text") || args.has("texts"))) {
            throw args.error("give either 'pairs' ([[a, b], ...]) or 'text' with 'texts', not both and not neither");
        }
        List<String> all = new ArrayList<>();
        if (pairs) {
            List<?> list = args.list("pairs", 1, MAX_TEXTS / 2);
            for (int i = 0; i < list.size(); i++) {
                all.addAll(args.textList("pairs[" + i + "]", list.get(i), 2, 2));
            }
        } else {
            all.add(args.text("text"));
            all.addAll(args.texts("texts", 1, MAX_TEXTS - 1));
        }
        Embeddings e = models.get(name).embed(all);
        List<Double> scores = new ArrayList<>();
        if (pairs) {
            for (int i = 0; i < e.size(); i += 2) scores.add(Similarity.cosine(e.vector(i), e.vector(i + 1)));
        } else {
            for (int i = 1; i < e.size(); i++) scores.add(Similarity.cosine(e.vector(0), e.vector(i)));
        }
        return Map.of("model", name, "scores", scores);
    }

    private SyncToolSpecification search() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("query", Schemas.string("What to look for."));
        properties.put(
                "documents", Schemas.strings("Documents to rank (at most " + MAX_DOCUMENTS + ").", 1, MAX_DOCUMENTS));
        properties.put("top_k", Schemas.integer("Return only the best K (default: all).", 1, MAX_DOCUMENTS));
        properties.put("model", modelProperty());
        return ToolSpecs.of(
                "search",
                "Rank documents by cosine similarity to a query. Returns {model, results: [{index, score, document}]},"
                        + " best first; at most " + MAX_DOCUMENTS + " documents per call.",
                Schemas.object(properties, List.of("query", "documents")),
                results,
                this::callSearch);
    }

    private Map<String, Object> callSearch(Args args) {
        String name = modelName(args);
        String query = args.text("query");
        List<String> documents = args.texts("documents", 1, MAX_DOCUMENTS);
        int topK = args.optionalInt("top_k", 1, MAX_DOCUMENTS).orElse(documents.size());
        List<String> all = new ArrayList<>(documents.size() + 1);
        all.add(query);
        all.addAll(documents);
        Embeddings e = models.get(name).embed(all);
        record Hit(int index, double score) {}
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++)
            hits.add(new Hit(i, Similarity.cosine(e.vector(0), e.vector(i + 1))));
        hits.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingInt(Hit::index));
        List<Map<String, Object>> ranked = new ArrayList<>();
        for (Hit hit : hits.subList(0, Math.min(topK, hits.size()))) {
            ranked.add(Map.of("index", hit.index(), "score", hit.score(), "document", documents.get(hit.index())));
        }
        return Map.of("model", name, "results", ranked);
    }

    private SyncToolSpecification modelInfo() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("model", modelProperty());
        return ToolSpecs.of(
                "model_info",
                "Describe the loaded embedding models (dimension, pooling, max length, device) and the tools' limits.",
                Schemas.object(properties, List.of()),
                results,
                this::callModelInfo);
    }

    private Map<String, Object> callModelInfo(Args args) {
        List<String> names = args.has("model") ? List.of(modelName(args)) : List.copyOf(models.keySet());
        List<Map<String, Object>> described = new ArrayList<>();
        for (String name : names) {
            ModelInfo info = models.get(name).info();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", name);
            one.put("default", name.equals(defaultModel));
            one.put("model", info.name());
            one.put("source", info.source());
            one.put("dimension", info.dimension());
            one.put("max_tokens", info.maxTokens());
            one.put("pooling", info.pooling().label());
            one.put("normalize", info.normalize());
            one.put("device", info.device().label());
            one.put("requested_device", info.requestedDevice().label());
            described.add(one);
        }
        return Map.of(
                "models", described, "limits", Map.of("max_texts", MAX_TEXTS, "max_search_documents", MAX_DOCUMENTS));
    }

    private String modelName(Args args) {
        String name = args.optionalString("model").orElse(defaultModel);
        if (!models.containsKey(name)) {
            throw args.error("unknown model '" + name + "'; loaded: " + models.keySet());
        }
        return name;
    }
}
