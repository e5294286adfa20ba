package dev.onyx.embed.internal;

import dev.onyx.runtime.CacheDirectory;
import java.nio.file.Path;

/** Locates Onyx's cache directory; stateless, so thread-safe. */
public final class OnyxCache {
    private OnyxCache() {}

    /**
     * The cache directory: system property {@code onyx.cache.dir}, else environment variable {@code ONYX_CACHE_DIR},
     * else {@code $XDG_CACHE_HOME/onyx}, else {@code ~/.cache/onyx}.
     */
    public static Path directory() {
        return CacheDirectory.onyx();
    }
}
