package dev.onyx.embed.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.OnyxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer (Rust, through DJL) that never truncates or pads: Onyx truncates
 * itself, so it knows every text's untruncated length. Thread-safe; {@link #close()} is idempotent.
 */
public final class HfTokenizer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final long maxTokenId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HfTokenizer(HuggingFaceTokenizer tokenizer, long maxTokenId) {
        this.tokenizer = tokenizer;
        this.maxTokenId = maxTokenId;
    }

    /** Loads the tokenizer of a resolved model. */
    public static HfTokenizer load(ModelDescriptor model) throws IOException {
        byte[] json = readBytes(model);
        long maxId = maxTokenId(json, model.tokenizerLabel());
        try (InputStream in = new ByteArrayInputStream(json)) {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(in, OPTIONS), maxId);
        } catch (RuntimeException e) {
            throw new InvalidModelException(
                    "cannot load tokenizer " + model.tokenizerLabel() + ": " + e.getMessage()
                            + " (expected a Hugging Face tokenizer.json)",
                    e);
        }
    }

    private static byte[] readBytes(ModelDescriptor model) throws IOException {
        if (model.tokenizerFile() != null) {
            return Files.readAllBytes(model.tokenizerFile());
        }
        try (InputStream in = HfTokenizer.class.getClassLoader().getResourceAsStream(model.tokenizerResource())) {
            if (in == null) {
                throw new InvalidModelException("tokenizer resource not found: " + model.tokenizerLabel());
            }
            return in.readAllBytes();
        }
    }

    /** The largest token id the tokenizer can produce: its vocabulary and added tokens. */
    static long maxTokenId(byte[] json, String label) throws InvalidModelException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidModelException("cannot parse tokenizer " + label + " as JSON: " + e.getMessage(), e);
        }
        long max = -1;
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
                max = Math.max(max, id.asLong());
            }
        } else if (vocab.isArray()) {
            max = vocab.size() - 1L;
        }
        for (JsonNode added : root.path("added_tokens")) {
            max = Math.max(max, added.path("id").asLong(-1));
        }
        if (max < 0) {
            throw new InvalidModelException("tokenizer " + label + " has no vocabulary (expected model.vocab)");
        }
        return max;
    }

    /** Tokenizes texts (in parallel, natively) without truncation. */
    public List<TokenizedText> encode(List<String> texts) {
        checkOpen();
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<TokenizedText> out = new ArrayList<>(encodings.length);
        for (Encoding encoding : encodings) {
            out.add(toTokenized(encoding));
        }
        return out;
    }

    /** The word-piece strings of one text, special tokens included, untruncated. */
    public List<String> tokens(String text) {
        checkOpen();
        return List.of(tokenizer.encode(text).getTokens());
    }

    private static TokenizedText toTokenized(Encoding encoding) {
        long[] ids = encoding.getIds();
        long[] special = encoding.getSpecialTokenMask();
        int lead = 0;
        while (lead < ids.length && special[lead] == 1) lead++;
        int trail = 0;
        while (trail < ids.length - lead && special[ids.length - 1 - trail] == 1) trail++;
        return new TokenizedText(ids, lead, trail);
    }

    /** The largest token id the tokenizer can produce. */
    public long maxTokenId() {
        return maxTokenId;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new OnyxException("tokenizer is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            tokenizer.close();
        }
    }
}
