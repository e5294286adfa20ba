package dev.onyx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.runtime.OnyxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the texts to embed from a file or standard input; stateless, so thread-safe. */
final class InputTexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InputTexts() {}

    /**
     * Reads texts: {@code .jsonl} → one JSON object per line with the text in {@code field}; anything else → one text
     * per line; {@code -} → standard input, one text per line. Blank lines are skipped in both formats.
     */
    static List<String> read(String input, String field, InputStream stdin) throws IOException {
        if (input.equals("-")) {
            return lines(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
        }
        Path path = Path.of(input);
        if (!Files.isRegularFile(path)) {
            throw new IOException("input file not found: " + path.toAbsolutePath());
        }
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            List<String> lines = lines(reader);
            return input.endsWith(".jsonl") ? fields(lines, field, path) : lines;
        }
    }

    private static List<String> lines(BufferedReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line; (line = reader.readLine()) != null; ) {
            if (!line.isBlank()) out.add(line);
        }
        return out;
    }

    private static List<String> fields(List<String> lines, String field, Path path) {
        List<String> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new OnyxException(path + " line " + (i + 1) + " is not valid JSON: " + e.getMessage());
            }
            JsonNode text = node.get(field);
            if (text == null || !text.isTextual()) {
                throw new OnyxException(path + " line " + (i + 1) + " has no string field '" + field
                        + "' (choose the field with --field)");
            }
            out.add(text.asText());
        }
        return out;
    }
}
