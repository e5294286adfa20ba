package dev.onyx.embed.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Hugging Face {@code tokenizer.json} into a {@link WordPieceSpec} when it describes exactly BERT's pipeline
 * ({@code BertNormalizer} → {@code BertPreTokenizer} → {@code WordPiece} → {@code [CLS] A [SEP]}, plain special added
 * tokens); stateless, so thread-safe.
 */
final class WordPieceJson {
    /** Created on first use: building an ObjectMapper costs a cold JVM ~400 ms, which a cached open never pays. */
    private static final class Trees {
        static final ObjectMapper JSON = new ObjectMapper(HfTokenizer.JSON);
    }

    private static final Set<String> TREES = Set.of("normalizer", "pre_tokenizer", "post_processor", "added_tokens");

    private WordPieceJson() {}

    /** The spec of {@code tokenizerJson}, or empty when the file describes anything else (or is not JSON). */
    static Optional<WordPieceSpec> read(byte[] tokenizerJson) {
        // one streaming pass: the vocabulary (~30,000 entries) straight into a map, the small parts as trees
        Map<String, Integer> vocab = new HashMap<>();
        ObjectNode root = Trees.JSON.createObjectNode();
        ObjectNode model = Trees.JSON.createObjectNode();
        try (JsonParser p = HfTokenizer.JSON.createParser(tokenizerJson)) {
            p.setCodec(Trees.JSON);
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("model") && value == JsonToken.START_OBJECT) {
                    readModel(p, vocab, model);
                } else if (TREES.contains(field)) {
                    JsonNode tree = p.readValueAsTree();
                    root.set(field, tree);
                    if (!expectedType(field, tree)) {
                        return Optional.empty(); // another kind of tokenizer: skip the rest, vocabulary included
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // the Rust tokenizer reports what is wrong with the file
        }
        return spec(root, model, vocab);
    }

    /** The {@code model} object: its vocabulary into {@code vocab}, everything else as trees into {@code model}. */
    private static void readModel(JsonParser p, Map<String, Integer> vocab, ObjectNode model) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("vocab") && v == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String piece = p.currentName();
                    p.nextToken();
                    vocab.put(piece, p.getValueAsInt(-1));
                }
                model.put("vocab", true);
            } else {
                model.set(name, p.readValueAsTree());
            }
        }
    }

    /** Whether a small top-level part is of the kind this pipeline needs (added tokens are checked later). */
    private static boolean expectedType(String field, JsonNode tree) {
        String type = tree.path("type").asText();
        return switch (field) {
            case "normalizer" -> type.equals("BertNormalizer");
            case "pre_tokenizer" -> type.equals("BertPreTokenizer");
            case "post_processor" -> type.equals("TemplateProcessing");
            default -> true;
        };
    }

    private static Optional<WordPieceSpec> spec(JsonNode root, JsonNode model, Map<String, Integer> vocab) {
        JsonNode normalizer = root.path("normalizer");
        JsonNode template = root.path("post_processor");
        if (!normalizer.path("type").asText().equals("BertNormalizer")
                || !root.path("pre_tokenizer").path("type").asText().equals("BertPreTokenizer")
                || !model.path("type").asText().equals("WordPiece")
                || vocab.isEmpty()
                || vocab.containsValue(-1)
                || !template.path("type").asText().equals("TemplateProcessing")) {
            return Optional.empty();
        }
        String prefix = model.path("continuing_subword_prefix").asText("##");
        String unk = model.path("unk_token").asText("[UNK]");
        int maxChars = model.path("max_input_chars_per_word").asInt(100);
        if (!vocab.containsKey(unk) || prefix.isEmpty()) {
            return Optional.empty();
        }
        // exactly [CLS] A [SEP] for a single sequence
        JsonNode single = template.path("single");
        if (single.size() != 3
                || !single.get(1).path("Sequence").path("id").asText().equals("A")
                || !single.get(0).has("SpecialToken")
                || !single.get(2).has("SpecialToken")) {
            return Optional.empty();
        }
        String cls = single.get(0).path("SpecialToken").path("id").asText();
        String sep = single.get(2).path("SpecialToken").path("id").asText();
        Integer clsId = specialId(template, cls);
        Integer sepId = specialId(template, sep);
        if (clsId == null || sepId == null) {
            return Optional.empty();
        }
        Map<String, Integer> specials = new HashMap<>();
        for (JsonNode added : root.path("added_tokens")) {
            // only the plain kind: matched verbatim in the raw text, no stripping, not limited to whole words
            if (added.path("normalized").asBoolean(true)
                    || added.path("lstrip").asBoolean(false)
                    || added.path("rstrip").asBoolean(false)
                    || added.path("single_word").asBoolean(false)
                    || !added.path("special").asBoolean(false)
                    || added.path("content").asText().isEmpty()) {
                return Optional.empty();
            }
            specials.put(added.path("content").asText(), added.path("id").asInt());
        }
        boolean lowercase = normalizer.path("lowercase").asBoolean(true);
        JsonNode strip = normalizer.path("strip_accents");
        return Optional.of(new WordPieceSpec(
                normalizer.path("clean_text").asBoolean(true),
                normalizer.path("handle_chinese_chars").asBoolean(true),
                strip.isBoolean() ? strip.asBoolean() : lowercase,
                lowercase,
                vocab,
                prefix,
                unk,
                maxChars,
                cls,
                clsId,
                sep,
                sepId,
                specials));
    }

    private static Integer specialId(JsonNode template, String token) {
        JsonNode ids = template.path("special_tokens").path(token).path("ids");
        return ids.size() == 1 ? ids.get(0).asInt() : null;
    }
}
