package dev.onyx.embed.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes what an older Onyx left in {@code <cache>/fused/} that this one never reads: fused copies and markers named
 * by the earlier per-file key ({@code <name>-<size>-<mtime>-<path crc>-f<version>.onnx}, {@code .onnx.txt}, {@code
 * .declined}; copies are now keyed by content, {@code <sha256/32>-f<version>}), and digest-index entries nobody has
 * written for {@link #INDEX_MAX_AGE}.
 *
 * <p>Safe while other processes use the cache: current-scheme copies are never touched here (their own pruning, in
 * {@link FusedModels}, goes by the {@code .sources} lists); an old-scheme entry goes only once it is older than {@link
 * #MIN_AGE}, so a copy an older Onyx has only just written and not yet loaded stays; a session already built from a
 * copy keeps running (ONNX Runtime has read the file, and on POSIX an open file outlives its name); an older Onyx that
 * finds its copy gone rebuilds it; a deleted index entry only means the model file is hashed once more. Stateless but
 * for the set of directories already pruned in this process, so thread-safe.
 */
public final class LegacyFusedCopies {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyFusedCopies.class);

    /** An old-scheme entry younger than this is left alone. */
    public static final Duration MIN_AGE = Duration.ofDays(1);

    /** A digest-index entry not written for this long goes (it is rewritten on the next open that needs it). */
    public static final Duration INDEX_MAX_AGE = Duration.ofDays(30);

    /** {@code FusedModels.statKey} followed by the fusion version, with the file kinds that key named. */
    private static final Pattern STAT_KEYED =
            Pattern.compile("[A-Za-z0-9._-]+-[0-9a-f]{1,16}-[0-9a-f]{1,16}-[0-9a-f]{1,8}-f[0-9]+"
                    + "(\\.onnx|\\.onnx\\.txt|\\.declined)");

    private static final Set<Path> PRUNED = ConcurrentHashMap.newKeySet();

    private LegacyFusedCopies() {}

    /** Whether {@code fileName} is a fused copy or marker in the naming of an older Onyx. */
    public static boolean isLegacyName(String fileName) {
        return STAT_KEYED.matcher(fileName).matches();
    }

    /** {@link #prune} with the default ages, once per directory and process (a cheap listing, no hashing). */
    static void pruneOnce(Path fusedDir) {
        if (PRUNED.add(fusedDir.toAbsolutePath().normalize())) {
            List<Path> removed = prune(fusedDir, MIN_AGE, INDEX_MAX_AGE, Instant.now());
            if (!removed.isEmpty()) {
                LOG.info("onyx: pruned {} cache entries of an older Onyx from {}", removed.size(), fusedDir);
            }
        }
    }

    /**
     * What {@link #prune} would delete now: old-scheme entries older than {@code minAge} and index entries older than
     * {@code indexMaxAge}, in name order. A missing directory has none.
     */
    public static List<Path> stale(Path fusedDir, Duration minAge, Duration indexMaxAge, Instant now) {
        List<Path> stale = new ArrayList<>();
        Instant oldEnough = now.minus(minAge);
        for (Path file : list(fusedDir)) {
            if (isLegacyName(file.getFileName().toString()) && modifiedBefore(file, oldEnough)) {
                stale.add(file);
            }
        }
        Instant indexCutoff = now.minus(indexMaxAge);
        for (Path entry : list(fusedDir.resolve("index"))) {
            if (!entry.getFileName().toString().contains(".tmp-") && modifiedBefore(entry, indexCutoff)) {
                stale.add(entry);
            }
        }
        return stale;
    }

    /**
     * Deletes {@link #stale} entries; those another process deletes first, or that cannot be deleted (a file held open
     * on Windows), are skipped.
     *
     * @return what was deleted
     */
    public static List<Path> prune(Path fusedDir, Duration minAge, Duration indexMaxAge, Instant now) {
        List<Path> removed = new ArrayList<>();
        for (Path file : stale(fusedDir, minAge, indexMaxAge, now)) {
            try {
                if (Files.deleteIfExists(file)) {
                    removed.add(file);
                }
            } catch (IOException e) {
                LOG.debug("onyx: cannot delete {}: {}", file, e.getMessage());
            }
        }
        return removed;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            LOG.debug("onyx: cannot list {}: {}", dir, e.getMessage());
            return List.of();
        }
    }

    private static boolean modifiedBefore(Path file, Instant cutoff) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }
}
