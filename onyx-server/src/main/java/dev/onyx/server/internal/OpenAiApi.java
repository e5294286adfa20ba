package dev.onyx.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The OpenAI-shaped routes: {@code POST /v1/embeddings} (also TEI's {@code POST /embeddings}), {@code GET /v1/models}
 * and {@code GET /v1/models/{id}}. Stateless, so thread-safe.
 */
public final class OpenAiApi {
    private final Models models;
    private final HttpEdge edge;
    private final int maxClientBatch;

    public OpenAiApi(Models models, HttpEdge edge, int maxClientBatch) {
        this.models = Objects.requireNonNull(models, "models");
        this.edge = Objects.requireNonNull(edge, "edge");
        this.maxClientBatch = maxClientBatch;
    }

    /** How vectors are written. */
    enum EncodingFormat {
        FLOAT,
        BASE64;

        static EncodingFormat parse(String value) {
            return switch (value) {
                case "float" -> FLOAT;
                case "base64" -> BASE64;
                default ->
                    throw ApiException.badRequest(
                            "encoding_format",
                            "encoding_format must be \"float\" or \"base64\", was \"" + value + "\"");
            };
        }
    }

    public void embeddings(Context ctx) throws IOException {
        JsonNode root = RequestReader.object(edge.body(ctx));
        Optional<String> requested = RequestReader.string(root, "model");
        ServedModel model = models.find(requested, "model");
        Inputs inputs = RequestReader.inputs(root, "input", true, maxClientBatch);
        EncodingFormat format = RequestReader.string(root, "encoding_format")
                .map(EncodingFormat::parse)
                .orElse(EncodingFormat.FLOAT);
        OptionalInt dimensions = Models.dimensions(RequestReader.positiveInt(root, "dimensions"), model, "dimensions");
        // prompt_name is an Onyx extension field (OpenAI has none); the model's default prompt applies without it
        inputs = Prompts.apply(inputs, model, RequestReader.string(root, "prompt_name"), "prompt_name");
        ServedModel.Result result = model.embed(inputs, true, "input");
        boolean normalize = model.info().normalize();
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (int i = 0; i < result.vectors().length; i++) {
                float[] vector = Vectors.finish(result.vectors()[i], dimensions, normalize);
                json.writeStartObject();
                json.writeStringField("object", "embedding");
                json.writeFieldName("embedding");
                if (format == EncodingFormat.BASE64) {
                    json.writeString(Vectors.base64(vector));
                } else {
                    JsonOut.floats(json, vector);
                }
                json.writeNumberField("index", i);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("model", requested.orElse(model.name())); // the alias the client asked for
            json.writeObjectFieldStart("usage");
            json.writeNumberField("prompt_tokens", result.promptTokens());
            json.writeNumberField("total_tokens", result.promptTokens());
            json.writeEndObject();
            json.writeEndObject();
        }));
    }

    /** One model by any of its names; 404 ({@code model_not_found}) for a name not served. */
    public void model(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        models.find(Optional.of(id), "model");
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> writeModel(json, id)));
    }

    private static void writeModel(JsonGenerator json, String id) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeStringField("object", "model");
        json.writeNumberField("created", 0);
        json.writeStringField("owned_by", "onyx");
        json.writeEndObject();
    }

    public void models(Context ctx) throws IOException {
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (ServedModel model : models.all()) {
                for (String name : model.names()) writeModel(json, name);
            }
            json.writeEndArray();
            json.writeEndObject();
        }));
    }
}
