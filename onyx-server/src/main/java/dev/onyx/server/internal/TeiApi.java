package dev.onyx.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.Health;
import dev.onyx.embed.ModelInfo;
import dev.onyx.embed.Precision;
import dev.onyx.embed.QuantizedEmbeddings;
import dev.onyx.runtime.OnyxException;
import dev.onyx.server.ServerConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The text-embeddings-inference-shaped routes ({@code POST /embed}, {@code POST /tokenize}) and the operational ones
 * ({@code GET /info}, {@code GET /health}). Stateless, so thread-safe.
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
        Inputs inputs = RequestReader.inputs(root, "inputs", false, config.maxClientBatch());
        boolean normalize = RequestReader.bool(root, "normalize").orElse(true);
        boolean truncate = RequestReader.bool(root, "truncate").orElse(true);
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

    private static Precision precision(String value) {
        try {
            return Precision.parse(value);
        } catch (OnyxException e) {
            throw ApiException.badRequest("precision", e.getMessage());
        }
    }

    /** Token ids and word pieces, as the model is fed them (special tokens included, truncated). */
    public void tokenize(Context ctx) throws IOException {
        JsonNode root = RequestReader.object(edge.body(ctx));
        ServedModel model = models.find(RequestReader.string(root, "model"), "model");
        Inputs.Texts inputs = (Inputs.Texts) RequestReader.inputs(root, "inputs", false, config.maxClientBatch());
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartArray();
            for (String text : inputs.texts()) {
                long[] ids = model.embedder().tokenIds(text);
                List<String> pieces = model.embedder().tokens(text);
                json.writeStartArray();
                for (int i = 0; i < ids.length; i++) {
                    // Truncation keeps the trailing special token, so the last id pairs with the last piece.
                    int piece = i == ids.length - 1 ? pieces.size() - 1 : i;
                    json.writeStartObject();
                    json.writeNumberField("id", ids[i]);
                    json.writeStringField("text", pieces.get(piece));
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        }));
    }

    public void info(Context ctx) throws IOException {
        ModelInfo first = models.defaultModel().info();
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartObject();
            json.writeStringField("model_id", models.defaultModel().name());
            json.writeNumberField("max_input_length", first.maxTokens());
            json.writeNumberField("max_batch_tokens", config.maxBatchTokens());
            json.writeNumberField("max_client_batch_size", config.maxClientBatch());
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
