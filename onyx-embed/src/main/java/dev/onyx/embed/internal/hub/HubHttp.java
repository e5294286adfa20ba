package dev.onyx.embed.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.HubException;
import dev.onyx.embed.HubSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hub's HTTP protocol: the revision API, HEAD on {@code resolve} URLs, and ranged GETs; thread-safe (one shared JDK
 * client). Redirects are followed here rather than by the client so the token is never sent to another host.
 */
final class HubHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "onyx/0.1 (huggingface_hub cache compatible)";

    /** What HEAD on a resolve URL says about a file: blob name (ETag), size (-1 if unknown), X-Repo-Commit. */
    record FileMeta(String etag, long size, Optional<String> commit) {}

    /** What the revision API says: the commit and every file path. */
    record RepoInfo(String commit, List<String> files) {}

    private final HubSettings settings;

    HubHttp(HubSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    URI apiUrl(String repo, String revision) {
        return URI.create(settings.endpoint() + "/api/models/" + repo + "/revision/" + encode(revision));
    }

    URI resolveUrl(String repo, String revision, String file) {
        return URI.create(settings.endpoint() + "/" + repo + "/resolve/" + encode(revision) + "/" + file);
    }

    private static String encode(String revision) {
        return revision.replace("/", "%2F");
    }

    RepoInfo repoInfo(String repo, String revision) throws IOException {
        HttpResponse<InputStream> response = send(apiUrl(repo, revision), "GET", -1, true);
        JsonNode root;
        try (InputStream in = response.body()) {
            check(response, repo, "revision '" + revision + "'");
            root = JSON.readTree(in);
        }
        String commit = root.path("sha").asText("");
        if (!HubCache.COMMIT.matcher(commit).matches()) {
            throw new HubException(
                    "hub answer for " + repo + "@" + revision + " has no commit hash (\"sha\"): " + commit);
        }
        List<String> files = new ArrayList<>();
        for (JsonNode sibling : root.path("siblings")) {
            files.add(sibling.path("rfilename").asText());
        }
        return new RepoInfo(commit, files);
    }

    /** HEAD a resolve URL, following relative redirects (renamed repos) but stopping at the LFS redirect to a CDN. */
    FileMeta head(String repo, URI url, String file) throws IOException {
        HttpResponse<InputStream> response = send(url, "HEAD", -1, false);
        for (int hops = 0; isRedirect(response.statusCode()) && hops < MAX_REDIRECTS; hops++) {
            response.body().close();
            String location = response.headers().firstValue("Location").orElse("");
            if (response.headers().firstValue("X-Linked-Etag").isPresent() || !location.startsWith("/")) {
                break;
            }
            response = send(response.uri().resolve(location), "HEAD", -1, false);
        }
        response.body().close();
        if (!isRedirect(response.statusCode())) {
            check(response, repo, "file " + file);
        }
        var headers = response.headers();
        String etag = normalizeEtag(headers.firstValue("X-Linked-Etag")
                .or(() -> headers.firstValue("ETag"))
                .orElseThrow(() -> new HubException("hub answer for " + url + " has no ETag; cannot name the blob")));
        long size = headers.firstValue("X-Linked-Size")
                .or(() -> headers.firstValue("Content-Length"))
                .map(Long::parseLong)
                .orElse(-1L);
        return new FileMeta(etag, size, headers.firstValue("X-Repo-Commit"));
    }

    /** The ETag without {@code W/} and quotes; it names a blob file, so it must be a plain file name. */
    static String normalizeEtag(String etag) throws HubException {
        String e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        e = e.replace("\"", "");
        if (!e.matches("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*")) {
            throw new HubException(
                    "hub sent ETag '" + etag + "', which cannot name a blob file (letters, digits, '_-.')");
        }
        return e;
    }

    /** GET with {@code Range: bytes=offset-} when offset > 0, following every redirect; the caller closes the body. */
    HttpResponse<InputStream> get(URI url, long offset) throws IOException {
        return send(url, "GET", offset, true);
    }

    private HttpResponse<InputStream> send(URI url, String method, long offset, boolean follow) throws IOException {
        URI current = url;
        for (int hops = 0; ; hops++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("User-Agent", USER_AGENT);
            if (!"GET".equals(method) || offset <= 0) {
                request.timeout(METADATA_TIMEOUT);
            }
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            if (settings.token().isPresent() && sameHost(current)) {
                request.header("Authorization", "Bearer " + settings.token().get());
            }
            HttpResponse<InputStream> response = sendOnce(request.build());
            if (!follow || !isRedirect(response.statusCode()) || hops >= MAX_REDIRECTS) {
                return response;
            }
            response.body().close();
            String location = response.headers()
                    .firstValue("Location")
                    .orElseThrow(() -> new HubException("redirect without Location from " + url));
            current = response.uri().resolve(location);
        }
    }

    private static HttpResponse<InputStream> sendOnce(HttpRequest request) throws IOException {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while requesting " + request.uri());
        }
    }

    private boolean sameHost(URI uri) {
        return Objects.equals(uri.getHost(), settings.endpoint().getHost())
                && uri.getPort() == settings.endpoint().getPort();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Throws a {@link HubException} naming the repository, the thing asked for and the remedy unless 2xx. */
    static void check(HttpResponse<?> response, String repo, String what) throws HubException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String where = " (" + response.request().method() + " " + response.uri() + ")";
        throw switch (status) {
            case 401, 403 ->
                new HubException(
                        "hub answered " + status + " for " + what + " of " + repo + where
                                + ": the repository is gated, private or missing; set HF_TOKEN to a token that can read it",
                        status);
            case 404 -> new HubException("hub answered 404: " + what + " of " + repo + " not found" + where, status);
            default -> new HubException("hub answered " + status + " for " + what + " of " + repo + where, status);
        };
    }
}
