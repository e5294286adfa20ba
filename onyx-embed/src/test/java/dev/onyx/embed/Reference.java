package dev.onyx.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The reference embeddings from an independent implementation (transformers.js), copied into test resources. */
final class Reference {
    static final int DIM = 384;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Reference() {}

    static List<String> sentences() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : lines("sentences.jsonl")) {
            out.add(JSON.readTree(line).get("text").asText());
        }
        return out;
    }

    static List<long[]> tokenIds(String model) throws IOException {
        List<long[]> out = new ArrayList<>();
        for (String line : lines(model + ".tokens.jsonl")) {
            JsonNode ids = JSON.readTree(line).get("ids");
            long[] row = new long[ids.size()];
            for (int i = 0; i < row.length; i++) row[i] = ids.get(i).asLong();
            out.add(row);
        }
        return out;
    }

    static float[][] vectors(String model) throws IOException {
        byte[] bytes;
        try (InputStream in = open(model + ".f32")) {
            bytes = in.readAllBytes();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[bytes.length / 4 / DIM][DIM];
        for (float[] row : out) {
            for (int d = 0; d < DIM; d++) row[d] = buffer.getFloat();
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        return Similarity.cosine(a, b);
    }

    private static List<String> lines(String name) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(name), StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = Reference.class.getResourceAsStream("/reference/" + name);
        if (in == null) throw new IOException("missing test resource /reference/" + name);
        return in;
    }
}
