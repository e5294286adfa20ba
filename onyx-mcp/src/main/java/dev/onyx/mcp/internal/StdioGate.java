package dev.onyx.mcp.internal;

import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the client's stream and the MCP SDK's stdio transport: reads each line, answers lines that are not
 * valid JSON-RPC messages with JSON-RPC's error (-32700 parse error, -32600 invalid request, -32602 invalid params) and
 * passes valid ones on; when the client's stream ends it waits until every request it passed on has been answered, then
 * ends the SDK's stream. Blank lines are skipped without an answer (they carry no message; MCP's stdio transport
 * delimits messages by newlines). One thread runs {@link #pump}; the SDK's threads use {@link #sdkInput} and
 * {@link #sdkOutput}; the gate's own answers and the SDK's are written whole lines at a time under one lock.
 */
public final class StdioGate {
    private static final Logger LOG = LoggerFactory.getLogger(StdioGate.class);

    private final McpJsonMapper json;
    private final JsonRpcCheck check;
    private final LineQueueStream sdkInput = new LineQueueStream();
    private final ObservedOutput sdkOutput;
    private final Set<String> pending = new HashSet<>();

    /**
     * @param toolNames the tools the server offers (a call to another gets -32602 naming it)
     * @param out the client's stream; the gate does not close it
     */
    public StdioGate(McpJsonMapper json, Set<String> toolNames, OutputStream out) {
        this.json = Objects.requireNonNull(json, "json");
        this.check = new JsonRpcCheck(toolNames);
        this.sdkOutput = new ObservedOutput(Objects.requireNonNull(out, "out"));
    }

    /** The stream to give the SDK's transport as its input: the valid lines, one per line. */
    public InputStream sdkInput() {
        return sdkInput;
    }

    /** The stream to give the SDK's transport as its output; it writes through to the client's stream. */
    public OutputStream sdkOutput() {
        return sdkOutput;
    }

    /**
     * Reads {@code in} until it ends (or fails), then waits for the answers to every request passed on, then ends
     * {@link #sdkInput}. Blocks the calling thread.
     *
     * @throws InterruptedException when interrupted while waiting for answers (the SDK's input is ended first)
     */
    public void pump(InputStream in) throws InterruptedException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                take(line);
            }
        } catch (IOException e) {
            LOG.info("client stream failed, ending the session: {}", e.toString());
        }
        try {
            synchronized (pending) {
                if (!pending.isEmpty()) LOG.info("input ended; waiting for the answers to requests {}", pending);
                while (!pending.isEmpty()) {
                    pending.wait(10_000);
                    if (!pending.isEmpty()) LOG.info("still waiting for the answers to requests {}", pending);
                }
            }
        } finally {
            sdkInput.end();
            // let the SDK's reader see the end before its session is closed (closing interrupts a waiting reader)
            sdkInput.awaitEndRead(1_000);
        }
    }

    private void take(String line) {
        if (line.isBlank()) {
            LOG.debug("skipped a blank line");
            return;
        }
        Object message;
        try {
            message = json.readValue(line, Object.class);
        } catch (IOException | RuntimeException e) {
            answer(null, JsonRpcCheck.PARSE_ERROR, "Parse error: the line is not JSON (" + firstLine(e) + ")");
            return;
        }
        JsonRpcCheck.Verdict verdict = check.check(message);
        if (verdict instanceof JsonRpcCheck.Forward forward) {
            forward.requestId().ifPresent(id -> {
                synchronized (pending) {
                    pending.add(key(id));
                }
            });
            sdkInput.add(line);
        } else if (verdict instanceof JsonRpcCheck.Reject reject) {
            answer(reject.id(), reject.code(), reject.message());
        } else if (verdict instanceof JsonRpcCheck.Drop drop) {
            LOG.warn("dropped a notification: {}", drop.reason());
        }
    }

    private void answer(Object id, int code, String message) {
        try {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", code);
            error.put("message", message);
            String text = "{\"jsonrpc\":\"2.0\",\"id\":" + (id == null ? "null" : json.writeValueAsString(id))
                    + ",\"error\":" + json.writeValueAsString(error) + "}\n";
            sdkOutput.writeLine(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("could not answer the client: {}", e.toString());
        }
    }

    /** Called with each whole line the SDK writes: an answer to a pending request clears it. */
    private void observed(byte[] line) {
        try {
            if (json.readValue(line, Object.class) instanceof Map<?, ?> map
                    && !map.containsKey("method")
                    && map.get("id") != null) {
                synchronized (pending) {
                    if (pending.remove(key(map.get("id")))) pending.notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("the SDK wrote a line that is not JSON: {}", e.toString());
        }
    }

    /** Ids compare by JSON value: 7 and 7.0 are one id, "7" another. */
    private static String key(Object id) {
        return id instanceof String s ? "s" + s : "n" + new BigDecimal(id.toString()).stripTrailingZeros();
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /**
     * The SDK's output: collects bytes up to each newline and writes the whole line at once. The SDK writes a message
     * while holding this object's monitor, and so does the gate, so lines never interleave.
     */
    private final class ObservedOutput extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        ObservedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') emit();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            int from = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    line.write(b, from, i + 1 - from);
                    emit();
                    from = i + 1;
                }
            }
            line.write(b, from, off + len - from);
        }

        synchronized void writeLine(byte[] whole) throws IOException {
            out.write(whole);
            out.flush();
        }

        private void emit() throws IOException {
            byte[] bytes = line.toByteArray();
            line.reset();
            out.write(bytes);
            out.flush();
            observed(bytes);
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }
    }
}
