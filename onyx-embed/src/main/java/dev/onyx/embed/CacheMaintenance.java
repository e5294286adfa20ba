package dev.onyx.embed;

import dev.onyx.embed.internal.FusedModels;
import dev.onyx.embed.internal.LegacyFusedCopies;
import dev.onyx.embed.internal.StaleInt8Copies;
import dev.onyx.runtime.CacheDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What is in Onyx's cache directory, and pruning of what no Onyx will read again (for {@code onyx cache}). Pruning is
 * safe while other processes use the cache: it deletes only fused copies whose model files are all gone or changed,
 * temporary files of writers that died an hour or more ago, entries of an older Onyx's naming at least a day old,
 * int8 copies of another quantizer unused for a day (never one whose lock another process holds), and digest-index
 * entries a month old; Onyx prunes the same automatically as it writes fused and int8 copies. Stateless, so
 * thread-safe.
 */
public final class CacheMaintenance {
    private CacheMaintenance() {}

    /**
     * One top-level folder of the cache ({@code fused}, {@code bundled}, {@code tokenizers}, ...).
     *
     * @param name the folder's name
     * @param files how many regular files it holds, at any depth
     * @param bytes their total size
     */
    public record Area(String name, long files, long bytes) {}

    /**
     * What a prune deleted.
     *
     * @param files the deleted files
     * @param bytes their total size before deletion
     */
    public record Pruned(List<Path> files, long bytes) {
        public Pruned {
            files = List.copyOf(files);
        }
    }

    /** The cache directory: {@code onyx.cache.dir}, {@code ONYX_CACHE}, {@code $XDG_CACHE_HOME/onyx} or {@code ~/.cache/onyx}. */
    public static Path directory() {
        return CacheDirectory.onyx();
    }

    /**
     * The cache's top-level folders by name, with their file counts and sizes; none when the cache does not exist.
     *
     * @throws UncheckedIOException when the cache cannot be listed
     */
    public static List<Area> areas(Path cache) {
        Objects.requireNonNull(cache, "cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        List<Area> areas = new ArrayList<>();
        try (Stream<Path> top = Files.list(cache)) {
            for (Path dir : top.filter(Files::isDirectory).sorted().toList()) {
                long[] counted = count(dir);
                areas.add(new Area(dir.getFileName().toString(), counted[0], counted[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the cache " + cache + ": " + e.getMessage(), e);
        }
        return areas;
    }

    /** Entries of an older Onyx's naming, and old index entries, that {@link #prune} would delete now. */
    public static List<Path> legacy(Path cache) {
        return LegacyFusedCopies.stale(
                fused(cache), LegacyFusedCopies.MIN_AGE, LegacyFusedCopies.INDEX_MAX_AGE, Instant.now());
    }

    /**
     * Int8 copies of another quantizer (this Onyx's quantizer makes other keys), left-over temporary folders and old
     * index entries in {@code <cache>/int8/} that {@link #prune} would delete now; a copy is one entry (a folder).
     */
    public static List<Path> staleInt8(Path cache) {
        return StaleInt8Copies.stale(int8(cache), StaleInt8Copies.MIN_AGE, Instant.now());
    }

    /** Deletes what no Onyx will read again (see the class comment); files another process deletes first are skipped. */
    public static Pruned prune(Path cache) {
        Path fused = fused(cache);
        Path int8 = int8(cache);
        Map<Path, Long> sizes = new HashMap<>();
        for (Path dir : List.of(fused, int8)) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                files.forEach(f -> sizes.put(f, size(f)));
            } catch (IOException | UncheckedIOException e) {
                // sizes of what vanished meanwhile count as 0
            }
        }
        List<Path> deleted = new ArrayList<>();
        if (Files.isDirectory(fused)) {
            deleted.addAll(LegacyFusedCopies.prune(
                    fused, LegacyFusedCopies.MIN_AGE, LegacyFusedCopies.INDEX_MAX_AGE, Instant.now()));
            deleted.addAll(FusedModels.pruneStale(fused, fused.resolve(".keep-nothing")));
        }
        deleted.addAll(StaleInt8Copies.prune(int8, StaleInt8Copies.MIN_AGE, Instant.now()));
        long freed = deleted.stream().mapToLong(f -> sizes.getOrDefault(f, 0L)).sum();
        return new Pruned(deleted, freed);
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path fused(Path cache) {
        return Objects.requireNonNull(cache, "cache").resolve("fused");
    }

    private static Path int8(Path cache) {
        return Objects.requireNonNull(cache, "cache").resolve("int8");
    }

    /** Files and bytes under {@code dir}; files that vanish while counting are skipped. */
    private static long[] count(Path dir) {
        long[] counted = new long[2];
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    counted[1] += Files.size(f);
                    counted[0]++;
                } catch (IOException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a folder removed while walking: what was counted stands
        }
        return counted;
    }
}
