package dev.onyx.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.onyx.runtime.OnyxException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A lean load generator for {@code POST /v1/embeddings}, of the kind of {@code wrk} or {@code hey}: {@code clients}
 * threads, each with one blocking HTTP/1.1 keep-alive connection, send prebuilt requests (bytes built before the
 * clock starts) one after another until every request is sent. Each answer is read completely (status line, headers,
 * a {@code Content-Length} body) and checked: status 200 and as many embeddings as the request had inputs; anything
 * else counts as an error (the connection is then opened anew). It spends little CPU per request, so when it runs on
 * the server's machine (or in its JVM) most of the CPU goes to the server. Each {@link #run} call owns its threads and
 * sockets and closes them before it returns; thread-safe.
 */
public final class LoadClient {
    /** What a report says about the client that produced its figures. */
    public static final String DESCRIPTION = "Onyx's LoadClient: one blocking HTTP/1.1 keep-alive connection per"
            + " client thread, prebuilt request bytes; each answer read in full and checked (status 200, one"
            + " embedding per input)";

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] EMBEDDING = "\"embedding\":".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER_LINE = 8192;

    private final String host;
    private final int port;
    private final String path;

    /** A client for {@code http://host:port/path}. */
    public LoadClient(String host, int port, String path) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.path = Objects.requireNonNull(path, "path");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /, was " + path);
        }
    }

    /** One prebuilt request: its JSON body and how many embeddings its answer must hold. */
    public record Request(byte[] body, int inputs) {
        public Request {
            Objects.requireNonNull(body, "body");
            if (inputs < 1) throw new IllegalArgumentException("inputs must be at least 1, was " + inputs);
        }
    }

    /**
     * An OpenAI embeddings request for {@code texts}: {@code "input"} is the one string when there is one text, a list
     * otherwise; {@code "model"} only when given.
     */
    public static Request embeddings(Optional<String> model, List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one text");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 128 * texts.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (model.isPresent()) json.writeStringField("model", model.get());
            json.writeFieldName("input");
            if (texts.size() == 1) {
                json.writeString(texts.get(0));
            } else {
                json.writeStartArray();
                for (String t : texts) json.writeString(t);
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a request to memory", e);
        }
        return new Request(out.toByteArray(), texts.size());
    }

    /** {@code texts} cut into requests of {@code perRequest} texts (the last may have fewer), in order. */
    public static List<Request> embeddings(Optional<String> model, List<String> texts, int perRequest) {
        if (perRequest < 1) throw new IllegalArgumentException("perRequest must be at least 1, was " + perRequest);
        List<Request> out = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += perRequest) {
            out.add(embeddings(model, texts.subList(from, Math.min(texts.size(), from + perRequest))));
        }
        return out;
    }

    /**
     * What a load measured: wall seconds from the first send to the last answer, each request's latency (send to full
     * answer, in request order), the errors and the first error's description, and the CPU time the client threads
     * used (-1 where the JVM does not measure thread CPU time).
     */
    public record Outcome(
            int requests,
            double seconds,
            long[] latencyNanos,
            int errors,
            Optional<String> firstError,
            long clientCpuNanos) {
        /** The {@code p}-th percentile (nearest rank) of the request latencies, in milliseconds. */
        public double percentileMillis(double p) {
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
        }
    }

    /**
     * Sends every request once from {@code clients} concurrent connections (each takes the next unsent request) and
     * returns when all are answered or failed.
     */
    public Outcome run(List<Request> requests, int clients) throws InterruptedIOException {
        if (clients < 1) throw new IllegalArgumentException("clients must be at least 1, was " + clients);
        List<byte[]> wire = requests.stream().map(this::wire).toList();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] nanos = new long[requests.size()];
        AtomicLong cpu = new AtomicLong();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean measured = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "onyx-load-client");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    Connection connection = new Connection();
                    try {
                        for (int i = next.getAndIncrement(); i < wire.size(); i = next.getAndIncrement()) {
                            long t0 = System.nanoTime();
                            String error = connection.exchange(
                                    wire.get(i), requests.get(i).inputs());
                            nanos[i] = System.nanoTime() - t0;
                            if (error != null) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, "request " + i + ": " + error);
                            }
                        }
                    } finally {
                        connection.close();
                        if (measured) cpu.addAndGet(threads.getCurrentThreadCpuTime());
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the clients ran");
        } catch (ExecutionException e) {
            throw new OnyxException("a load client thread failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(
                requests.size(),
                seconds,
                nanos,
                errors.get(),
                Optional.ofNullable(firstError.get()),
                measured ? cpu.get() : -1);
    }

    private byte[] wire(Request r) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + r.body().length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + r.body().length);
        System.arraycopy(r.body(), 0, all, head.length, r.body().length);
        return all;
    }

    /** One keep-alive connection, opened on first use and again after a failure or {@code Connection: close}. */
    private final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private byte[] body = new byte[16384];
        private final byte[] line = new byte[MAX_HEADER_LINE];

        /** Sends one request and reads its answer; null when it is a 200 with {@code inputs} embeddings. */
        String exchange(byte[] request, int inputs) {
            try {
                if (socket == null) open();
                out.write(request);
                out.flush();
                String status = readLine();
                if (status == null) throw new IOException("the server closed the connection before answering");
                int code = status.length() >= 12 && status.startsWith("HTTP/1.") ? parseInt(status, 9, 12) : -1;
                long length = -1;
                boolean close = false;
                for (String h = readLine(); h != null && !h.isEmpty(); h = readLine()) {
                    if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                        length = Long.parseLong(h.substring(15).trim());
                    } else if (h.regionMatches(true, 0, "connection:", 0, 11)) {
                        close = h.substring(11).trim().equalsIgnoreCase("close");
                    } else if (h.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                        throw new IOException("the answer is not sized by Content-Length (" + h + ")");
                    }
                }
                if (length < 0) throw new IOException("the answer has no Content-Length");
                if (length > body.length) body = new byte[(int) Math.max(length, 2L * body.length)];
                int n = in.readNBytes(body, 0, (int) length);
                if (n < length) throw new IOException("the answer ended after " + n + " of " + length + " bytes");
                if (close) close();
                if (code != 200) {
                    return status + ": " + new String(body, 0, (int) Math.min(n, 300), StandardCharsets.UTF_8);
                }
                int found = count(body, n, EMBEDDING);
                return found == inputs ? null : "200 with " + found + " embeddings for " + inputs + " inputs";
            } catch (IOException | RuntimeException e) {
                close();
                return e.toString();
            }
        }

        private void open() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            in = new BufferedInputStream(socket.getInputStream(), 16384);
            out = socket.getOutputStream();
        }

        /** A header line without its CRLF (ISO-8859-1), or null at the end of the stream. */
        private String readLine() throws IOException {
            int n = 0;
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    if (n == 0) return null;
                    throw new IOException("the connection ended inside a header line");
                }
                if (n == line.length) throw new IOException("a header line is longer than " + line.length + " bytes");
                line[n++] = (byte) b;
            }
            if (n > 0 && line[n - 1] == '\r') n--;
            return new String(line, 0, n, StandardCharsets.ISO_8859_1);
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a socket we no longer use: nothing to do
                }
                socket = null;
            }
        }
    }

    private static int parseInt(String s, int from, int to) {
        try {
            return Integer.parseInt(s, from, to, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Occurrences of {@code needle} in {@code bytes[0, n)}. */
    static int count(byte[] bytes, int n, byte[] needle) {
        int found = 0;
        outer:
        for (int i = 0; i <= n - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) continue outer;
            }
            found++;
            i += needle.length - 1;
        }
        return found;
    }
}
