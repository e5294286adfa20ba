package dev.onyx.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hub-shaped HTTP server on 127.0.0.1 (port 0) serving one repository built in a temporary folder from the files the
 * Maven carrier jars hold: the revision API, {@code resolve} URLs (plain git files answer HEAD with their git blob id
 * as ETag; LFS files answer with a 302 to a CDN path plus {@code X-Linked-Etag}/{@code X-Linked-Size}), and ranged
 * GETs. Faults are switched on per file; every request is recorded.
 */
final class HubFixture implements AutoCloseable {
    static final String REPO = "sentence-transformers/all-MiniLM-L6-v2";
    static final String PRIVATE_REPO = "acme/private-minilm";
    static final String TOKEN = "hf_test_token";
    static final String COMMIT = "5f1b8f0a3a6ad3c9a5e3c2f0b8f4c1d2e3f4a5b6";
    static final String ONNX = "onnx/model_quantized.onnx";
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Fault {
        CORRUPT,
        CUT_FIRST_TRANSFER
    }

    record Request(String method, String path, String range, boolean authorized) {}

    private final HttpServer server;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> lfsByPath = new LinkedHashMap<>();
    private final Map<String, byte[]> lfsBySha = new LinkedHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    HubFixture(Path dir) throws IOException {
        Path tree = dir.resolve("hub-tree");
        put(tree, "config.json", "{\"model_type\":\"bert\",\"vocab_size\":30522,\"max_position_embeddings\":512}");
        put(tree, "tokenizer.json", resource("all-minilm-l6-v2-q-tokenizer.json"));
        put(
                tree,
                "modules.json",
                "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models"
                        + ".Transformer\"},{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers"
                        + ".models.Pooling\"},{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\",\"type\":"
                        + "\"sentence_transformers.models.Normalize\"}]");
        put(tree, "sentence_bert_config.json", "{\"max_seq_length\":256,\"do_lower_case\":false}");
        put(
                tree,
                "config_sentence_transformers.json",
                "{\"prompts\":{\"query\":\"query: \"},\"default_prompt_name\":null}");
        put(tree, "1_Pooling/config.json", "{\"word_embedding_dimension\":384,\"pooling_mode_mean_tokens\":true}");
        put(tree, "README.md", "# not downloaded: Onyx fetches only what it runs");
        put(tree, ONNX, resource("all-minilm-l6-v2-q.onnx"));
        put(tree, "onnx/model_O4.onnx", new byte[] {1, 2, 3}); // listed, never fetched
        for (String path : files.keySet()) {
            if (path.endsWith(".onnx")) {
                String sha = hex("SHA-256", new byte[0], files.get(path));
                lfsByPath.put(path, sha);
                lfsBySha.put(sha, files.get(path));
            }
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    private void put(Path tree, String path, String text) throws IOException {
        put(tree, path, text.getBytes(StandardCharsets.UTF_8));
    }

    private void put(Path tree, String path, byte[] bytes) throws IOException {
        Path file = tree.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        files.put(path, Files.readAllBytes(file));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = HubFixture.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("carrier jar resource missing: " + name);
            return in.readAllBytes();
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    HubSettings settings(Path cache) {
        return new HubSettings(endpoint(), java.util.Optional.empty(), cache, false);
    }

    byte[] file(String path) {
        return files.get(path).clone();
    }

    String sha256(String path) {
        return lfsByPath.get(path);
    }

    void fault(String path, Fault fault) {
        faults.put(path, fault);
    }

    List<Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authorized = ("Bearer " + TOKEN).equals(auth);
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    path,
                    exchange.getRequestHeaders().getFirst("Range"),
                    authorized));
            if (path.startsWith("/cdn/")) {
                serveBlob(exchange, path.substring("/cdn/".length()));
                return;
            }
            String repo = path.startsWith("/api/models/") ? repoOf(path.substring(12)) : repoOf(path.substring(1));
            if (repo == null) {
                send(exchange, 404, "Repository not found");
            } else if (repo.equals(PRIVATE_REPO) && !authorized) {
                send(exchange, 401, "Invalid username or password.");
            } else if (path.startsWith("/api/models/")) {
                serveApi(exchange, path.substring(12 + repo.length()));
            } else {
                serveResolve(exchange, path.substring(1 + repo.length()));
            }
        }
    }

    private static String repoOf(String rest) {
        for (String repo : List.of(REPO, PRIVATE_REPO)) {
            if (rest.startsWith(repo + "/")) return repo;
        }
        return null;
    }

    private void serveApi(HttpExchange exchange, String rest) throws IOException {
        String revision = rest.replaceFirst("^/revision/", "");
        if (!revision.equals("main") && !revision.equals(COMMIT)) {
            send(exchange, 404, "Invalid rev id: " + revision);
            return;
        }
        List<Map<String, String>> siblings = new ArrayList<>();
        for (String file : files.keySet()) siblings.add(Map.of("rfilename", file));
        byte[] body = JSON.writeValueAsBytes(Map.of("id", REPO, "sha", COMMIT, "siblings", siblings));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void serveResolve(HttpExchange exchange, String rest) throws IOException {
        String prefix = "/resolve/" + COMMIT + "/";
        String file = rest.startsWith(prefix) ? rest.substring(prefix.length()) : null;
        if (file == null || !files.containsKey(file)) {
            exchange.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
            send(exchange, 404, "Entry not found");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("X-Repo-Commit", COMMIT);
        byte[] bytes = files.get(file);
        String sha = lfsByPath.get(file);
        if (sha != null) {
            headers.set("X-Linked-Etag", "\"" + sha + "\"");
            headers.set("X-Linked-Size", Long.toString(bytes.length));
            headers.set("Location", endpoint() + "/cdn/" + sha);
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        headers.set(
                "ETag",
                "\"" + hex("SHA-1", ("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII), bytes) + "\"");
        if (exchange.getRequestMethod().equals("HEAD")) {
            headers.set("Content-Length", Long.toString(bytes.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void serveBlob(HttpExchange exchange, String sha) throws IOException {
        byte[] bytes = lfsBySha.get(sha);
        if (bytes == null) {
            send(exchange, 404, "no such blob");
            return;
        }
        String path = lfsByPath.entrySet().stream()
                .filter(e -> e.getValue().equals(sha))
                .findFirst()
                .orElseThrow()
                .getKey();
        Fault fault = faults.get(path);
        if (fault == Fault.CORRUPT) {
            bytes = bytes.clone();
            bytes[bytes.length / 2] ^= 0x5A;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        if (from > 0) {
            exchange.getResponseHeaders()
                    .set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        exchange.sendResponseHeaders(from == 0 ? 200 : 206, bytes.length - from);
        OutputStream out = exchange.getResponseBody();
        if (fault == Fault.CUT_FIRST_TRANSFER && cut.add(path)) {
            out.write(bytes, from, (bytes.length - from) / 2);
            out.flush();
            return; // closing short of Content-Length drops the connection: the client sees an interrupted transfer
        }
        out.write(bytes, from, bytes.length - from);
    }

    private static void send(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
        if (!exchange.getRequestMethod().equals("HEAD"))
            exchange.getResponseBody().write(body);
    }

    static String hex(String algorithm, byte[] prefix, byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            digest.update(prefix);
            return HexFormat.of().formatHex(digest.digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
