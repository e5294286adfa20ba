package dev.onyx.runtime;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Locates Onyx's cache directory; stateless, so thread-safe. */
public final class CacheDirectory {
    private CacheDirectory() {}

    /**
     * The cache directory, the first that is set of: system property {@code onyx.cache.dir}, environment variable
     * {@code ONYX_CACHE}, {@code ONYX_CACHE_DIR} (the older name, still honoured), {@code $XDG_CACHE_HOME/onyx}, and
     * {@code ~/.cache/onyx}. Blank values count as unset.
     */
    public static Path onyx() {
        return resolve(System::getProperty, System::getenv);
    }

    /** {@link #onyx()} over the given system properties and environment (for tests). */
    static Path resolve(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String property = properties.apply("onyx.cache.dir");
        if (set(property)) return Path.of(property);
        for (String name : new String[] {"ONYX_CACHE", "ONYX_CACHE_DIR"}) {
            String value = env.apply(name);
            if (set(value)) return Path.of(value);
        }
        String xdg = env.apply("XDG_CACHE_HOME");
        if (set(xdg)) return Path.of(xdg, "onyx");
        return Path.of(properties.apply("user.home"), ".cache", "onyx");
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }
}
