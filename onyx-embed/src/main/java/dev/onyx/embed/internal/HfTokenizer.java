package dev.onyx.embed.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.onyx.embed.Token;
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
 * A Hugging Face {@code tokenizer.json} tokenizer that never truncates or pads: Onyx truncates itself, so it knows every
 * text's untruncated length. Thread-safe; {@link #close()} is idempotent.
 *
 * <p>A BERT WordPiece tokenizer.json (all-MiniLM, BGE, E5, ...) is served by {@link BertWordPiece} in plain Java; the
 * Rust implementation (through DJL) handles every other tokenizer, and the texts the Java one declines (characters
 * outside the Basic Multilingual Plane). It is loaded only when first needed, so a BERT model opens without loading
 * its native library at all.
 */
public final class HfTokenizer implements AutoCloseable {
    /** Field names not canonicalized or interned: a vocabulary has ~30,000 distinct ones, seen once each. */
    static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");

    private final byte[] json;
    private final String label;
    private final BertWordPiece java; // null: every text goes to the Rust tokenizer
    private final long maxTokenId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HuggingFaceTokenizer rust; // loaded on first use

    private HfTokenizer(byte[] json, String label, BertWordPiece java, HuggingFaceTokenizer rust, long maxTokenId) {
        this.json = json;
        this.label = label;
        this.java = java;
        this.rust = rust;
        this.maxTokenId = maxTokenId;
    }

    /** Loads the tokenizer of a resolved model. */
    public static HfTokenizer load(ModelDescriptor model) throws IOException {
        byte[] json = readBytes(model);
        BertWordPiece java = Boolean.getBoolean("onyx.tokenizer.rustOnly")
                ? null
                : BertWordPiece.cached(json, OnyxCache.directory().resolve("tokenizers"))
                        .orElse(null);
        long maxId = java != null ? java.maxTokenId() : maxTokenId(json, model.tokenizerLabel());
        HuggingFaceTokenizer rust = java == null ? loadRust(json, model.tokenizerLabel()) : null;
        return new HfTokenizer(json, model.tokenizerLabel(), java, rust, maxId);
    }

    private static HuggingFaceTokenizer loadRust(byte[] json, String label) throws InvalidModelException {
        try (InputStream in = new ByteArrayInputStream(json)) {
            return HuggingFaceTokenizer.newInstance(in, OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(
                    "cannot load tokenizer " + label + ": " + e.getMessage()
                            + " (expected a Hugging Face tokenizer.json)",
                    e);
        }
    }

    /** The Rust tokenizer, loading it on first use. */
    private HuggingFaceTokenizer rust() {
        HuggingFaceTokenizer loaded = rust;
        if (loaded == null) {
            synchronized (this) {
                loaded = rust;
                if (loaded == null) {
                    checkOpen(); // under the lock close() takes: never load a library a closed tokenizer would leak
                    try {
                        loaded = loadRust(json, label);
                    } catch (InvalidModelException e) {
                        throw new OnyxException(e.getMessage(), e);
                    }
                    rust = loaded;
                }
            }
        }
        return loaded;
    }

    /** Whether BERT WordPiece texts are tokenized in Java (false: everything goes through the Rust library). */
    public boolean javaWordPiece() {
        return java != null;
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

    /**
     * The largest token id the tokenizer can produce: its vocabulary and added tokens. Streams the JSON (no tree): the
     * vocabulary holds ~30,000 entries and this runs on every open.
     */
    static long maxTokenId(byte[] json, String label) throws InvalidModelException {
        long max = -1;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidModelException("tokenizer " + label + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "model" -> max = Math.max(max, vocabularyMax(p));
                    case "added_tokens" -> max = Math.max(max, addedTokensMax(p));
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            if (e instanceof InvalidModelException invalid) throw invalid;
            throw new InvalidModelException("cannot parse tokenizer " + label + " as JSON: " + e.getMessage(), e);
        }
        if (max < 0) {
            throw new InvalidModelException("tokenizer " + label + " has no vocabulary (expected model.vocab)");
        }
        return max;
    }

    /** Inside {@code model}: the largest id of an object vocabulary, or the size - 1 of an array (unigram) one. */
    private static long vocabularyMax(JsonParser p) throws IOException {
        long max = -1;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return max;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("vocab") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    p.nextToken();
                    max = Math.max(max, p.getValueAsLong(-1));
                }
            } else if (field.equals("vocab") && value == JsonToken.START_ARRAY) {
                long size = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    p.skipChildren();
                    size++;
                }
                max = size - 1;
            } else {
                p.skipChildren();
            }
        }
        return max;
    }

    private static long addedTokensMax(JsonParser p) throws IOException {
        long max = -1;
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return max;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("id")) max = Math.max(max, p.getValueAsLong(-1));
                else p.skipChildren();
            }
        }
        return max;
    }

    /** Tokenizes texts without truncation. */
    public List<TokenizedText> encode(List<String> texts) {
        checkOpen();
        if (texts.isEmpty()) {
            return List.of();
        }
        TokenizedText[] out = new TokenizedText[texts.size()];
        List<Integer> declined = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            out[i] = java == null ? null : java.encode(texts.get(i));
            if (out[i] == null) declined.add(i);
        }
        if (declined.size() == 1) {
            // one text: encode on this thread; the batch call hands off to a native thread pool, whose wake-up and
            // spinning cost single-text latency (and compete with ONNX Runtime's threads on small machines)
            int i = declined.get(0);
            out[i] = toTokenized(rust().encode(texts.get(i)));
        } else if (!declined.isEmpty()) {
            List<String> rest = new ArrayList<>(declined.size());
            for (int i : declined) rest.add(texts.get(i));
            Encoding[] encodings = rust().batchEncode(rest);
            for (int k = 0; k < encodings.length; k++) out[declined.get(k)] = toTokenized(encodings[k]);
        }
        return List.of(out);
    }

    /** The word-piece strings of one text, special tokens included, untruncated. */
    public List<String> tokens(String text) {
        checkOpen();
        List<String> tokens = java == null ? null : java.tokens(text);
        return tokens != null
                ? List.copyOf(tokens)
                : List.of(rust().encode(text).getTokens());
    }

    /**
     * One text's tokens with their places in the text, untruncated, by the Rust implementation (the reference: the
     * Java one produces the same ids). Special tokens only when {@code addSpecialTokens}.
     */
    public List<Token> detailed(String text, boolean addSpecialTokens) {
        checkOpen();
        Encoding encoding = rust().encode(text, addSpecialTokens, false);
        long[] ids = encoding.getIds();
        String[] pieces = encoding.getTokens();
        long[] special = encoding.getSpecialTokenMask();
        CharSpan[] spans = encoding.getCharTokenSpans();
        List<Token> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            CharSpan span = spans[i];
            if (special[i] == 1 || span == null) {
                out.add(new Token(ids[i], pieces[i], true, -1, -1));
            } else {
                // the Rust side counts Unicode characters (code points); Java strings index UTF-16 units
                int start = text.offsetByCodePoints(0, span.getStart());
                int end = text.offsetByCodePoints(start, span.getEnd() - span.getStart());
                out.add(new Token(ids[i], pieces[i], false, start, end));
            }
        }
        return out;
    }

    /** Text for token ids, by the Rust implementation; special tokens left out when {@code skipSpecialTokens}. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        checkOpen();
        return rust().decode(ids, skipSpecialTokens);
    }

    /** Whether the plain-Java tokenizer serves this file (never under {@code -Donyx.tokenizer.rustOnly=true}). */
    boolean servedInJava() {
        return java != null;
    }

    /** The Rust tokenizer's ids for one text, untruncated: the reference the Java one is tested against. */
    long[] rustIds(String text) {
        checkOpen();
        return rust().encode(text).getIds();
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
            synchronized (this) {
                if (rust != null) rust.close();
            }
        }
    }
}
