package dev.onyx.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onyx.embed.Token;
import dev.onyx.runtime.OnyxException;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * TEI's tokenizer routes, {@code POST /tokenize} and {@code POST /decode}: no model run, only the model's tokenizer.
 * Stateless, so thread-safe.
 */
public final class TeiTokenApi {
    private final Models models;
    private final HttpEdge edge;
    private final int maxClientBatch;

    public TeiTokenApi(Models models, HttpEdge edge, int maxClientBatch) {
        this.models = Objects.requireNonNull(models, "models");
        this.edge = Objects.requireNonNull(edge, "edge");
        this.maxClientBatch = maxClientBatch;
    }

    /**
     * Each text's tokens as TEI lists them: {@code id}, {@code text}, {@code special}, {@code start}, {@code stop}.
     * Untruncated; {@code add_special_tokens} (default true) adds [CLS]/[SEP]; {@code prompt_name} prefixes the
     * prompt. As in TEI, a text token's {@code text} is the slice of the input it covers and {@code start}/{@code stop}
     * are UTF-8 byte offsets into it (prompt included); a special token has its own string and null offsets.
     */
    public void tokenize(Context ctx) throws IOException {
        JsonNode root = RequestReader.object(edge.body(ctx));
        ServedModel model = models.find(RequestReader.string(root, "model"), "model");
        Inputs inputs = RequestReader.inputs(root, "inputs", false, maxClientBatch);
        boolean special = RequestReader.bool(root, "add_special_tokens").orElse(true);
        // TEI applies a prompt only when named: the model's default prompt does not change what /tokenize shows
        inputs = RequestReader.string(root, "prompt_name").isPresent()
                ? Prompts.apply(inputs, model, RequestReader.string(root, "prompt_name"), "prompt_name")
                : inputs;
        List<String> texts = ((Inputs.Texts) inputs).texts();
        List<List<Token>> all = new ArrayList<>(texts.size());
        for (String text : texts) all.add(model.embedder().tokenize(text, special));
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartArray();
            for (int t = 0; t < texts.size(); t++) {
                String text = texts.get(t);
                json.writeStartArray();
                for (Token token : all.get(t)) {
                    json.writeStartObject();
                    json.writeNumberField("id", token.id());
                    if (token.special()) {
                        json.writeStringField("text", token.piece());
                        json.writeBooleanField("special", true);
                        json.writeNullField("start");
                        json.writeNullField("stop");
                    } else {
                        json.writeStringField("text", text.substring(token.start(), token.end()));
                        json.writeBooleanField("special", false);
                        json.writeNumberField("start", utf8Length(text, token.start()));
                        json.writeNumberField("stop", utf8Length(text, token.end()));
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        }));
    }

    /** UTF-8 bytes of {@code text}'s first {@code end} chars: TEI's (Rust's) offsets count bytes. */
    static int utf8Length(String text, int end) {
        return text.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * TEI's {@code /decode}: {@code ids} (one list of token ids, or a list of lists) → one text per list;
     * {@code skip_special_tokens} (default true).
     */
    public void decode(Context ctx) throws IOException {
        JsonNode root = RequestReader.object(edge.body(ctx));
        ServedModel model = models.find(RequestReader.string(root, "model"), "model");
        JsonNode ids = root.get("ids");
        if (ids == null || !ids.isArray()) {
            throw ApiException.badRequest(
                    "ids",
                    "ids must be a list of token ids or a list of such lists, was "
                            + (ids == null ? "missing" : RequestReader.kind(ids)));
        }
        if (ids.isEmpty()) {
            throw new ApiException(ErrorKind.EMPTY, "ids", "ids cannot be empty");
        }
        boolean skip = RequestReader.bool(root, "skip_special_tokens").orElse(true);
        if (!(RequestReader.inputs(root, "ids", true, maxClientBatch) instanceof Inputs.TokenIds parsed)) {
            throw ApiException.badRequest("ids", "ids must be a list of token ids or a list of such lists, not text");
        }
        List<long[]> rows = parsed.ids();
        List<String> texts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                texts.add(model.embedder().decode(rows.get(i), skip));
            } catch (OnyxException e) {
                String name = rows.size() == 1 && !ids.get(0).isArray() ? "ids" : "ids[" + i + "]";
                throw ApiException.badRequest(name, name + ": " + e.getMessage());
            }
        }
        HttpEdge.json(ctx, 200, JsonOut.bytes(json -> {
            json.writeStartArray();
            for (String text : texts) json.writeString(text);
            json.writeEndArray();
        }));
    }
}
