package dev.onyx.runtime;

import java.nio.file.Path;

/** Locates Onyx's cache directory; stateless, so thread-safe. */
public final class CacheDirectory {
    private CacheDirectory() {}

    /**
     * The cache directory: system property {@code onyx.cache.dir}, else environment variable {@code ONYX_CACHE_DIR},
     * else {@code $XDG_CACHE_HOME/onyx}, else {@code ~/.cache/onyx}.
     */
    public static Path onyx() {
        String property = System.getProperty("onyx.cache.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("ONYX_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "onyx");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "onyx");
    }
}
