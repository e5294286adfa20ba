package dev.onyx.embed.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes what this Onyx never reads again from {@code <cache>/int8/} ({@link Int8Cache}): copies and {@code .refused}
 * markers of a key ({@code <sha256/32>-int8-<fingerprint/12>}) whose quantizer fingerprint is not this Onyx's, once
 * unused for {@link #MIN_AGE}; temporary folders of writers that died ({@code .tmp-}, {@link #MIN_AGE} old); and
 * digest-index entries not written for {@link LegacyFusedCopies#INDEX_MAX_AGE}.
 *
 * <p>Safe while other processes (an older Onyx, or another build sharing the cache) use the cache: a key's last use is
 * the newest modification time of its copy, manifest, marker and lock file ({@link Int8Cache} touches the lock file at
 * every use); a copy goes only while this process holds the key's lock (a process quantizing or checking that key holds
 * it, and then the key is skipped), by one rename out of place before deletion, so no reader sees half a folder. The
 * empty lock file stays: deleting it could let two processes lock different files. A session built from a copy keeps
 * running (ONNX Runtime has read it; on POSIX an open file outlives its name); an Onyx that finds its copy gone builds it
 * again; a deleted index entry only means the model file is hashed once more. Stateless, so thread-safe.
 */
public final class StaleInt8Copies {
    private static final Logger LOG = LoggerFactory.getLogger(StaleInt8Copies.class);

    /** A key of another quantizer used more recently than this, or a temporary entry younger, is left alone. */
    public static final Duration MIN_AGE = Duration.ofDays(1);

    private static final Pattern KEY = Pattern.compile("([0-9a-f]{32}-int8-([0-9a-f]{12}))(\\.refused)?");

    private StaleInt8Copies() {}

    /**
     * What {@link #prune} would delete now, in name order: stale copies (folders), their markers, old temporary entries
     * and index entries. A missing directory has none.
     */
    public static List<Path> stale(Path int8Dir, Duration minAge, Instant now) {
        List<Path> stale = new ArrayList<>();
        Instant cutoff = now.minus(minAge);
        for (String key : staleKeys(int8Dir, cutoff)) {
            for (Path entry : List.of(int8Dir.resolve(key), int8Dir.resolve(key + ".refused"))) {
                if (Files.exists(entry)) stale.add(entry);
            }
        }
        stale.addAll(leftovers(int8Dir, cutoff));
        stale.addAll(oldIndexEntries(int8Dir, now));
        stale.sort(Comparator.naturalOrder());
        return stale;
    }

    /**
     * Deletes the {@link #stale} entries; a key whose lock another process or thread holds, or that was used meanwhile,
     * is skipped, as are files another process deletes first or that cannot be deleted (held open on Windows).
     *
     * @return the regular files deleted (those of a deleted folder by their path inside it)
     */
    public static List<Path> prune(Path int8Dir, Duration minAge, Instant now) {
        List<Path> deleted = new ArrayList<>();
        Instant cutoff = now.minus(minAge);
        for (String key : staleKeys(int8Dir, cutoff)) {
            pruneKey(int8Dir, key, cutoff, deleted);
        }
        for (Path leftover : leftovers(int8Dir, cutoff)) {
            deleteTree(leftover, deleted);
        }
        for (Path entry : oldIndexEntries(int8Dir, now)) {
            deleteTree(entry, deleted);
        }
        if (!deleted.isEmpty()) {
            LOG.info(
                    "onyx: pruned {} int8 cache files of another quantizer or left over from {}",
                    deleted.size(),
                    int8Dir);
        }
        return deleted;
    }

    /** Keys of another quantizer, with a copy or marker, last used before {@code cutoff}. */
    private static TreeSet<String> staleKeys(Path int8Dir, Instant cutoff) {
        String current = Int8Cache.fingerprint().substring(0, 12);
        TreeSet<String> keys = new TreeSet<>();
        for (Path entry : list(int8Dir)) {
            Matcher m = KEY.matcher(entry.getFileName().toString());
            if (m.matches()
                    && !m.group(2).equals(current)
                    && lastUse(int8Dir, m.group(1), true).isBefore(cutoff)) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    private static void pruneKey(Path int8Dir, String key, Instant cutoff, List<Path> deleted) {
        Path lockFile = int8Dir.resolve(key + ".lock");
        boolean created = true; // then its modification time says nothing of a use
        FileChannel opened;
        try {
            opened = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            created = false;
            opened = openQuietly(lockFile);
            if (opened == null) return;
        } catch (IOException e) {
            LOG.debug("onyx: cannot create {}: {}", lockFile, e.getMessage());
            return;
        }
        try (FileChannel channel = opened) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return; // another thread of this process holds it
            }
            if (lock == null) return; // another process is writing or checking this key
            try (lock) {
                if (!lastUse(int8Dir, key, !created).isBefore(cutoff)) return; // used meanwhile
                Path copy = int8Dir.resolve(key);
                if (Files.isDirectory(copy)) {
                    List<Path> files = regularFiles(copy);
                    Path aside = int8Dir.resolve(
                            key + ".tmp-pruned-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
                    Files.move(copy, aside, StandardCopyOption.ATOMIC_MOVE);
                    deleteTree(aside, new ArrayList<>()); // what stays is a .tmp- leftover, pruned later
                    deleted.addAll(files);
                }
                Path refused = int8Dir.resolve(key + ".refused");
                if (Files.deleteIfExists(refused)) deleted.add(refused);
            }
        } catch (IOException e) {
            LOG.debug("onyx: cannot prune the int8 copy {} in {}: {}", key, int8Dir, e.getMessage());
        }
    }

    private static FileChannel openQuietly(Path lockFile) {
        try {
            return FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOG.debug("onyx: cannot open {}: {}", lockFile, e.getMessage());
            return null;
        }
    }

    /**
     * The newest modification time of the key's copy, manifest, marker and (with {@code withLock}) lock file; EPOCH
     * when none exists.
     */
    private static Instant lastUse(Path int8Dir, String key, boolean withLock) {
        Instant last = Instant.EPOCH;
        List<Path> marks = new ArrayList<>(List.of(
                int8Dir.resolve(key),
                int8Dir.resolve(key).resolve(Int8Cache.MANIFEST),
                int8Dir.resolve(key + ".refused")));
        if (withLock) marks.add(int8Dir.resolve(key + ".lock"));
        for (Path p : marks) {
            if (Files.exists(p)) {
                Instant modified = lastModified(p);
                if (modified.isAfter(last)) last = modified;
            }
        }
        return last;
    }

    private static List<Path> oldIndexEntries(Path int8Dir, Instant now) {
        Instant cutoff = now.minus(LegacyFusedCopies.INDEX_MAX_AGE);
        return list(int8Dir.resolve("index")).stream()
                .filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().contains(".tmp-"))
                .filter(p -> lastModified(p).isBefore(cutoff))
                .toList();
    }

    private static List<Path> leftovers(Path int8Dir, Instant cutoff) {
        return list(int8Dir).stream()
                .filter(p -> p.getFileName().toString().contains(".tmp-"))
                .filter(p -> lastModified(p).isBefore(cutoff))
                .toList();
    }

    private static Instant lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.MAX; // gone meanwhile: nothing to prune
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            LOG.debug("onyx: cannot list {}: {}", dir, e.getMessage());
            return List.of();
        }
    }

    private static List<Path> regularFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Deletes a file or folder, deepest first, adding the regular files deleted; what cannot go stays. */
    private static void deleteTree(Path root, List<Path> deleted) {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.toList());
        } catch (IOException | RuntimeException e) {
            return; // gone meanwhile
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            try {
                boolean file = Files.isRegularFile(p);
                if (Files.deleteIfExists(p) && file) deleted.add(p);
            } catch (IOException e) {
                LOG.debug("onyx: cannot delete {}: {}", p, e.getMessage());
            }
        }
    }

    /** Marks a key as used now (its lock file's modification time), so {@link #prune} of another build leaves it. */
    static void touch(Path lockFile) {
        try {
            Files.setLastModifiedTime(lockFile, FileTime.from(Instant.now()));
        } catch (IOException e) {
            LOG.debug("onyx: cannot touch {}: {}", lockFile, e.getMessage());
        }
    }
}
