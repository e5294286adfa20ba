package dev.onyx.embed.internal.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One repository's folder in the huggingface_hub cache, laid out as Python's huggingface_hub lays it out, so either
 * tool reuses what the other downloaded; stateless beyond its paths, so thread-safe.
 *
 * <pre>
 * models--ORG--NAME/blobs/&lt;etag&gt;                  file contents, named by the hub's ETag
 * models--ORG--NAME/snapshots/&lt;commit&gt;/&lt;path&gt;     relative symlinks into blobs/ (copies where links fail)
 * models--ORG--NAME/refs/&lt;revision&gt;                the commit a branch or tag pointed at
 * </pre>
 */
final class HubCache {
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path repoDir;

    HubCache(Path cacheDirectory, String repo) {
        this.repoDir = cacheDirectory.resolve("models--" + repo.replace("/", "--"));
    }

    Path repoDir() {
        return repoDir;
    }

    Path refFile(String revision) {
        return repoDir.resolve("refs").resolve(revision);
    }

    /** The commit a revision means locally: itself when it is a commit hash, else what refs/ remembers. */
    Optional<String> commitFor(String revision) throws IOException {
        if (COMMIT.matcher(revision).matches()) {
            return Optional.of(revision);
        }
        Path ref = refFile(revision);
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
    }

    void writeRef(String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = refFile(revision);
        Files.createDirectories(ref.getParent());
        Path temp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        try {
            Files.writeString(temp, commit, StandardCharsets.UTF_8);
            Files.move(temp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    Path snapshot(String commit) {
        return repoDir.resolve("snapshots").resolve(commit);
    }

    Path blob(String etag) {
        return repoDir.resolve("blobs").resolve(etag);
    }

    /** Where a blob downloads to before it is verified (huggingface_hub's name, so either tool resumes it). */
    Path incomplete(String etag) {
        return repoDir.resolve("blobs").resolve(etag + ".incomplete");
    }

    /** Points {@code snapshots/<commit>/<file>} at a blob with a relative symlink, or copies it where links fail. */
    Path link(String commit, String file, Path blob) throws IOException {
        Path pointer = snapshot(commit).resolve(file);
        Files.createDirectories(pointer.getParent());
        Files.deleteIfExists(pointer);
        try {
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, pointer, StandardCopyOption.REPLACE_EXISTING);
        }
        return pointer;
    }
}
