package dev.onyx.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes JSON response bodies with Jackson's streaming generator (no intermediate tree). Thread-safe. */
public final class JsonOut {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonOut() {}

    /** Writes one JSON value. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    public static byte[] bytes(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            // A ByteArrayOutputStream does not fail; only a bug in a Body gets here.
            throw new UncheckedIOException("cannot write JSON response", e);
        }
        return out.toByteArray();
    }

    public static void floats(JsonGenerator json, float[] vector) throws IOException {
        json.writeStartArray();
        for (float x : vector) json.writeNumber(x);
        json.writeEndArray();
    }
}
