package dev.onyx.embed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.onyx.embed.internal.Catalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Maven repositories over HTTP on 127.0.0.1 (port 0), laid out as Maven lays them out ({@code
 * groupId/artifactId/version/artifactId-version.jar} with {@code .sha1}, {@code .md5} and {@code .sha256} files),
 * filled with the real carrier jars found on the test classpath (hard links where the file system allows):
 *
 * <ul>
 *   <li>{@code /private/}: all six carriers, behind basic auth ({@link #USER} / {@link #PASSWORD});
 *   <li>{@code /corrupt/}: the all-minilm-l6-v2-q carrier with bytes changed, beside the checksums of the real one;
 *   <li>{@code /empty/}: no artifacts (every GET answers 404).
 * </ul>
 *
 * Counts the jar GETs per path; can slow jar transfers down so that concurrent downloads overlap.
 */
final class MavenRepoFixture implements AutoCloseable {
    static final String USER = "deployer";
    static final String PASSWORD = "s3cret-pa55";

    private final HttpServer server;
    private final Path root;
    private final Map<String, AtomicInteger> jarGets = new ConcurrentHashMap<>();
    volatile long delayPerChunkMillis;

    MavenRepoFixture(Path dir) throws IOException {
        root = dir.resolve("remote");
        for (Catalog.Entry entry : Catalog.entries()) {
            Path target = root.resolve("private").resolve(relativePath(entry));
            Files.createDirectories(target.getParent());
            link(carrierJar(entry), target);
            writeChecksums(target, Files.newInputStream(target));
        }
        Catalog.Entry minilmQ = Catalog.find("all-minilm-l6-v2-q").orElseThrow();
        Path corrupt = root.resolve("corrupt").resolve(relativePath(minilmQ));
        Files.createDirectories(corrupt.getParent());
        byte[] bytes = Files.readAllBytes(carrierJar(minilmQ));
        writeChecksums(corrupt, new java.io.ByteArrayInputStream(bytes));
        bytes[bytes.length / 2] ^= 0x5a; // a damaged transfer: the checksums still describe the real jar
        Files.write(corrupt, bytes);
        Files.createDirectories(root.resolve("empty"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    /** The repository-relative path of an entry's carrier jar. */
    static String relativePath(Catalog.Entry entry) {
        return entry.groupId().replace('.', '/') + "/" + entry.artifactId() + "/" + entry.version() + "/"
                + entry.artifactId() + "-" + entry.version() + ".jar";
    }

    /** The carrier jar on the test classpath (from the local Maven repository the build used). */
    static Path carrierJar(Catalog.Entry entry) throws IOException {
        URL url = MavenRepoFixture.class.getClassLoader().getResource(entry.onnxResource());
        if (url == null || !"jar".equals(url.getProtocol())) {
            throw new IOException("carrier of " + entry.name() + " is not a jar on the test classpath: " + url);
        }
        try {
            return Path.of(
                    ((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    String url(String repository) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository + "/";
    }

    int jarGets(String repository, Catalog.Entry entry) {
        return jarGets.computeIfAbsent("/" + repository + "/" + relativePath(entry), k -> new AtomicInteger())
                .get();
    }

    /** A user settings.xml with a mirror of everything to a repository, and the given servers' credentials. */
    static String settings(String mirrorUrl, boolean credentials, boolean offline) {
        return "<settings>\n" + (offline ? "  <offline>true</offline>\n" : "")
                + "  <mirrors><mirror><id>company</id><mirrorOf>*</mirrorOf><url>" + mirrorUrl
                + "</url></mirror></mirrors>\n"
                + (credentials
                        ? "  <servers><server><id>company</id><username>" + USER + "</username><password>" + PASSWORD
                                + "</password></server></servers>\n"
                        : "")
                + "</settings>\n";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/private/") && !authorized(exchange)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"company\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (path.endsWith(".jar") && !head) {
                jarGets.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            }
            exchange.sendResponseHeaders(200, head ? -1 : Files.size(file));
            if (head) {
                return;
            }
            try (InputStream in = Files.newInputStream(file);
                    OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    if (delayPerChunkMillis > 0) {
                        Thread.sleep(delayPerChunkMillis);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean authorized(HttpExchange exchange) {
        String expected =
                "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static void link(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    private static void writeChecksums(Path jar, InputStream content) throws IOException {
        List<String> algorithms = List.of("SHA-1", "MD5", "SHA-256");
        List<MessageDigest> digests = new java.util.ArrayList<>();
        for (String algorithm : algorithms) {
            try {
                digests.add(MessageDigest.getInstance(algorithm));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        try (InputStream in = content) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (MessageDigest digest : digests) digest.update(buffer, 0, n);
            }
        }
        List<String> suffixes = List.of(".sha1", ".md5", ".sha256");
        for (int i = 0; i < suffixes.size(); i++) {
            Files.writeString(
                    jar.resolveSibling(jar.getFileName() + suffixes.get(i)),
                    HexFormat.of().formatHex(digests.get(i).digest()));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
