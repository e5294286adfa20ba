package dev.onyx.embed.internal.hub;

import dev.onyx.embed.DownloadListener;
import dev.onyx.embed.HubException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Downloads one blob: into {@code <etag>.incomplete}, resuming with a {@code Range} request after an interrupted
 * transfer (also one left by an earlier run), verified against its ETag, then moved into place atomically; stateless.
 *
 * <p>Verification: an LFS file's ETag is its SHA-256; a plain git file's ETag is its git blob id (SHA-1 of {@code
 * "blob <size>\0"} + content); other ETags are checked by size only.
 */
final class BlobDownload {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final int ATTEMPTS = 3;

    private BlobDownload() {}

    static void download(
            HubHttp http,
            URI url,
            HubHttp.FileMeta meta,
            Path incomplete,
            Path blob,
            String label,
            DownloadListener listener)
            throws IOException {
        Files.createDirectories(incomplete.getParent());
        for (int attempt = 1; ; attempt++) {
            try {
                if (transfer(http, url, meta, incomplete, label, listener)) {
                    break;
                }
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw new HubException("download of " + label + " failed " + ATTEMPTS + " times, last: " + e
                            + "; " + Files.size(incomplete) + " bytes kept in " + incomplete
                            + ", run again to resume");
                }
            }
            if (attempt >= ATTEMPTS) {
                throw new HubException("download of " + label + " stopped early " + ATTEMPTS + " times ("
                        + Files.size(incomplete) + " of " + meta.size() + " bytes in " + incomplete
                        + "); run again to resume");
            }
        }
        verify(incomplete, meta, label);
        Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** One GET from where the partial file ends; true when the file is complete (or its size unknown and ended). */
    private static boolean transfer(
            HubHttp http, URI url, HubHttp.FileMeta meta, Path part, String label, DownloadListener listener)
            throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (meta.size() >= 0 && have > meta.size()) {
            Files.delete(part);
            have = 0;
        }
        if (meta.size() >= 0 && have == meta.size() && have > 0) {
            return true;
        }
        HttpResponse<InputStream> response = http.get(url, have);
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status == 416) {
                Files.deleteIfExists(part); // the server disagrees about our partial file: start over
                return false;
            }
            HubHttp.check(response, label, "download");
            boolean append = status == 206;
            long done = append ? have : 0;
            long total = meta.size();
            listener.progress(label, done, total);
            try (OutputStream out = Files.newOutputStream(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    listener.progress(label, done, total);
                }
            }
            return total < 0 || done == total;
        }
    }

    private static void verify(Path file, HubHttp.FileMeta meta, String label) throws IOException {
        long size = Files.size(file);
        if (meta.size() >= 0 && size != meta.size()) {
            Files.delete(file);
            throw new HubException("download of " + label + " has " + size + " bytes, the hub said " + meta.size());
        }
        String etag = meta.etag();
        String actual;
        String kind;
        if (SHA256.matcher(etag).matches()) {
            actual = digest(file, "SHA-256", new byte[0]);
            kind = "sha256";
        } else if (GIT_SHA1.matcher(etag).matches()) {
            actual = digest(file, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            kind = "git blob sha1";
        } else {
            return;
        }
        if (!actual.equals(etag)) {
            Files.delete(file);
            throw new HubException("checksum mismatch for " + label + ": " + kind + " is " + actual
                    + " but the hub's ETag says " + etag + "; the partial file was deleted, run again");
        }
    }

    static String digest(Path file, String algorithm, byte[] prefix) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
        digest.update(prefix);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
