package dev.onyx.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Shared test helpers: a real HTTP client, JSON, the copied reference vectors, cosine similarity. */
final class TestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final int DIM = 384;

    private TestSupport() {}

    static HttpResponse<String> post(EmbeddingServer server, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(EmbeddingServer server, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path)).GET();
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(EmbeddingServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    static String toJson(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).floatValue();
        return out;
    }

    static float[] littleEndianFloats(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < out.length; i++) out[i] = buffer.getFloat();
        return out;
    }

    static double cosine(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        return dev.onyx.embed.Similarity.cosine(a, b);
    }

    static double norm(float[] v) {
        double sq = 0;
        for (float x : v) sq += (double) x * x;
        return Math.sqrt(sq);
    }

    /** The 300 texts of the reference set (copied from onyx-embed's test resources). */
    static List<String> referenceSentences() throws IOException {
        List<String> out = new ArrayList<>();
        String all = new String(resource("sentences.jsonl"), StandardCharsets.UTF_8);
        for (String line : all.split("\n")) {
            if (!line.isBlank()) out.add(JSON.readTree(line).get("text").asText());
        }
        return out;
    }

    /** transformers.js vectors of the reference set for all-MiniLM-L6-v2, one row per sentence. */
    static float[][] referenceVectors() throws IOException {
        float[] flat = littleEndianFloats(resource("all-minilm-l6-v2.f32"));
        float[][] out = new float[flat.length / DIM][DIM];
        for (int r = 0; r < out.length; r++) System.arraycopy(flat, r * DIM, out[r], 0, DIM);
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TestSupport.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) throw new IOException("missing test resource /reference/" + name);
            return in.readAllBytes();
        }
    }
}
