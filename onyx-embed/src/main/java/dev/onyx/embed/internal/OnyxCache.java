package dev.onyx.embed.internal;

import dev.onyx.runtime.CacheDirectory;
import java.nio.file.Path;

/** Locates Onyx's cache directory; stateless, so thread-safe. */
public final class OnyxCache {
    private OnyxCache() {}

    /** The cache directory, as {@link CacheDirectory#onyx()} finds it. */
    public static Path directory() {
        return CacheDirectory.onyx();
    }
}
