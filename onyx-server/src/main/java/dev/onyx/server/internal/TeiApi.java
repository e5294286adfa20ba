package dev.onyx.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.Health;
import dev.onyx.embed.ModelInfo;
import dev.onyx.embed.Precision;
import dev.onyx.embed.QuantizedEmbeddings;
import dev.onyx.embed.Similarity;
import dev.onyx.runtime.OnyxException;
import dev.onyx.server.ServerConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The text-embeddings-inference-shaped routes that run the model ({@code POST /embed}, {@code /embed_all},
 * {@code /similarity}) and the operational ones ({@code GET /info}, {@code GET /health}). Stateless, so thread-safe.
 */
public final class TeiApi {
    private final Models models;
    private final HttpEdge edge;
    private final ServerConfig config;

    public TeiApi(Models models, HttpEdge edge, ServerConfig config) {
        this.models = Objects.requireNonNull(models, "models");
        this.edge = Objects.requireNonNull(edge, "edge");
        this.config = Objects.requireNonNull(config, "config");
    }

    public void embed(Context ctx) throws IOException {
        JsonNode root = RequestReader.object(edge.body(ctx));
        ServedModel model = models.find(RequestReader.string(root, "model"), "model");
        Inputs inputs = RequestReader.inputs(root, "inputs", true, config.maxClientBatch());
        boolean normalize = RequestReader.bool(root, "normalize").orElse(true);
        boolean truncate = truncate(root);
        OptionalInt dimensions = Models.dimensions(RequestReader.positiveInt(root, "dimensions"), model, "dimensions");
        Precision precision =
                RequestReader.string(root, "precision").map(TeiApi::precision).orElse(Precision.FLOAT32);
        inputs = Prompts.apply(inputs, model, RequestReader.string(root, "prompt_name"), "prompt_name");
        ServedModel.Result result = model.embed(inputs, truncate, "inputs");
        float[][] vectors = new float[result.vectors().length][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = Vectors.finish(result.vectors()[i], dimensions, normalize);
        }
        QuantizedEmbeddings quantized = precision == Precision.FLOAT32
                ? null
                : QuantizedEmbeddings.of(Embeddings.of(vectors, new int[vectors.length]), precision);
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartArray();
            for (int i = 0; i < vectors.length; i++) {
                if (quantized == null) {
                    JsonOut.floats(json, vectors[i]);
                } else {
                    int[] values = quantized.values(i);
                    json.writeArray(values, 0, values.length);
                }
            }
            json.writeEndArray();
        }));
    }

    /**
     * TEI's {@code truncate} (default: true, TEI's {@code auto_truncate} as Onyx runs it) and {@code
     * truncation_direction}: only {@code right} (the Hugging Face rule Onyx implements) is accepted.
     */
    private static boolean truncate(JsonNode root) {
        Optional<String> direction = RequestReader.string(root, "truncation_direction");
        if (direction.isPresent() && !direction.get().equalsIgnoreCase("right")) {
            throw ApiException.badRequest(
                    "truncation_direction",
                    "truncation_direction \"" + direction.get() + "\" is not supported; allowed: \"right\" (Onyx keeps"
                            + " the start of a text, as sentence-transformers does)");
        }
        return RequestReader.bool(root, "truncate").orElse(true);
    }

    /**
     * TEI's {@code /embed_all}: every token's vector (the model's last hidden state, with the special tokens, not
     * normalized), {@code [inputs][tokens][hidden]}. Runs each input on the request's thread, outside the batch
     * scheduler.
     */
    public void embedAll(Context ctx) throws IOException {
        JsonNode root = RequestReader.object(edge.body(ctx));
        ServedModel model = models.find(RequestReader.string(root, "model"), "model");
        Inputs inputs = RequestReader.inputs(root, "inputs", true, config.maxClientBatch());
        boolean truncate = truncate(root);
        inputs = Prompts.apply(inputs, model, RequestReader.string(root, "prompt_name"), "prompt_name");
        List<long[]> ids = model.encode(inputs, truncate, "inputs");
        List<float[][]> states = model.tokenEmbeddings(ids);
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartArray();
            for (float[][] tokens : states) {
                json.writeStartArray();
                for (float[] token : tokens) JsonOut.floats(json, token);
                json.writeEndArray();
            }
            json.writeEndArray();
        }));
    }

    /**
     * TEI's {@code /similarity}: {@code {"inputs":{"source_sentence":..,"sentences":[..]},"parameters":{..}}} → the
     * cosine similarity of the source sentence to each sentence, in order.
     */
    public void similarity(Context ctx) throws IOException {
        JsonNode root = RequestReader.object(edge.body(ctx));
        ServedModel model = models.find(RequestReader.string(root, "model"), "model");
        JsonNode in = root.get("inputs");
        if (in == null || !in.isObject()) {
            throw ApiException.badRequest(
                    "inputs",
                    "inputs must be an object {\"source_sentence\": string, \"sentences\": [strings]}, was "
                            + (in == null ? "missing" : RequestReader.kind(in)));
        }
        String source = RequestReader.string(in, "source_sentence")
                .orElseThrow(() -> ApiException.badRequest(
                        "inputs.source_sentence", "inputs.source_sentence is required: a string"));
        if (source.isEmpty()) {
            throw ApiException.badRequest("inputs.source_sentence", "inputs.source_sentence is an empty string");
        }
        JsonNode sentencesNode = in.get("sentences");
        if (sentencesNode != null && sentencesNode.isArray() && sentencesNode.isEmpty()) {
            throw new ApiException(ErrorKind.EMPTY, "inputs.sentences", "inputs.sentences cannot be empty");
        }
        // +1: the source sentence is embedded in the same request
        List<String> sentences =
                ((Inputs.Texts) RequestReader.inputs(in, "sentences", false, config.maxClientBatch() - 1)).texts();
        JsonNode parameters = root.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw ApiException.badRequest(
                    "parameters", "parameters must be an object, was " + RequestReader.kind(parameters));
        }
        JsonNode params =
                parameters == null || parameters.isNull() ? JsonNodeFactory.instance.objectNode() : parameters;
        boolean truncate = truncate(params);
        List<String> texts = new ArrayList<>(sentences.size() + 1);
        texts.add(source);
        texts.addAll(sentences);
        Inputs inputs = Prompts.apply(
                new Inputs.Texts(texts), model, RequestReader.string(params, "prompt_name"), "prompt_name");
        float[][] vectors;
        try {
            vectors = model.embed(inputs, truncate, "inputs").vectors();
        } catch (ApiException e) {
            throw renamed(e);
        }
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartArray();
            for (int i = 1; i < vectors.length; i++)
                json.writeNumber((float) Similarity.cosine(vectors[0], vectors[i]));
            json.writeEndArray();
        }));
    }

    private static Precision precision(String value) {
        try {
            return Precision.parse(value);
        } catch (OnyxException e) {
            throw ApiException.badRequest("precision", e.getMessage());
        }
    }

    public void info(Context ctx) throws IOException {
        ServedModel served = models.defaultModel();
        ModelInfo first = served.info();
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartObject();
            // TEI's fields, for the default model
            json.writeStringField("model_id", served.name());
            json.writeNullField("model_sha"); // TEI: the hub revision; Onyx reports the file's sha256 under models
            json.writeStringField("model_dtype", first.precision().dtype());
            json.writeStringField("served_model_name", served.name());
            json.writeObjectFieldStart("model_type");
            json.writeObjectFieldStart("embedding");
            json.writeStringField("pooling", first.pooling().label());
            json.writeEndObject();
            json.writeEndObject();
            json.writeNumberField("max_concurrent_requests", config.maxConcurrentInputs());
            json.writeNumberField("max_input_length", first.maxTokens());
            json.writeNumberField("max_batch_tokens", config.maxBatchTokens());
            json.writeNullField("max_batch_requests");
            json.writeNumberField("max_client_batch_size", config.maxClientBatch());
            json.writeBooleanField("auto_truncate", true);
            // Onyx tokenizes on each request's own thread: as many at once as there are cores to run them
            json.writeNumberField("tokenization_workers", Runtime.getRuntime().availableProcessors());
            json.writeStringField("version", version());
            json.writeNullField("sha");
            json.writeNullField("docker_label");
            // Onyx's own fields
            json.writeNumberField("max_concurrent_inputs", config.maxConcurrentInputs());
            json.writeNumberField("payload_limit", config.payloadLimitBytes());
            json.writeNumberField("max_wait_millis", config.maxWaitMillis());
            json.writeBooleanField("auth", config.apiKey().isPresent());
            json.writeArrayFieldStart("models");
            for (ServedModel model : models.all()) {
                ModelInfo info = model.info();
                json.writeStartObject();
                json.writeStringField("id", model.name());
                json.writeArrayFieldStart("names");
                for (String name : model.names()) json.writeString(name);
                json.writeEndArray();
                json.writeStringField("source", info.source());
                json.writeNumberField("dimension", info.dimension());
                json.writeNumberField("max_input_length", info.maxTokens());
                json.writeStringField("pooling", info.pooling().label());
                json.writeBooleanField("normalize", info.normalize());
                json.writeStringField("device", info.device().label());
                json.writeStringField("requested_device", info.requestedDevice().label());
                json.writeStringField("sha256", info.modelSha256());
                json.writeStringField("graph", info.graph());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }));
    }

    /** Names the similarity field at fault: {@code inputs[0]} is the source sentence, {@code inputs[i]} sentence i-1. */
    private static ApiException renamed(ApiException e) {
        String param = e.param().orElse("");
        if (!param.startsWith("inputs[")) {
            return e;
        }
        int index = Integer.parseInt(param.substring("inputs[".length(), param.length() - 1));
        String name = index == 0 ? "inputs.source_sentence" : "inputs.sentences[" + (index - 1) + "]";
        return new ApiException(e.kind(), name, e.getMessage().replace(param, name));
    }

    private static String version() {
        String version = TeiApi.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** 200 when every model's probe embedding works, 503 otherwise. */
    public void health(Context ctx) throws IOException {
        boolean healthy = true;
        Health[] checks = new Health[models.all().size()];
        for (int i = 0; i < checks.length; i++) {
            checks[i] = models.all().get(i).health();
            healthy &= checks[i].healthy();
        }
        boolean ok = healthy;
        HttpEdge.json(ctx, ok ? 200 : 503, JsonOut.bytes(json -> {
            json.writeStartObject();
            json.writeStringField("status", ok ? "ok" : "unhealthy");
            json.writeObjectFieldStart("models");
            for (int i = 0; i < checks.length; i++) {
                json.writeObjectFieldStart(models.all().get(i).name());
                json.writeBooleanField("healthy", checks[i].healthy());
                json.writeStringField("detail", checks[i].detail());
                json.writeNumberField("latency_millis", checks[i].latencyMillis());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }));
    }
}
