package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirectoryTest {
    private static Path resolve(Map<String, String> properties, Map<String, String> env) {
        Map<String, String> props = new HashMap<>(properties);
        props.putIfAbsent("user.home", "/home/u");
        return CacheDirectory.resolve(props::get, env::get);
    }

    @Test
    void onyxCacheWinsOverXdgWhichWinsOverTheHomeFolder() {
        assertThat(resolve(Map.of(), Map.of())).isEqualTo(Path.of("/home/u/.cache/onyx"));
        assertThat(resolve(Map.of(), Map.of("XDG_CACHE_HOME", "/xdg"))).isEqualTo(Path.of("/xdg/onyx"));
        assertThat(resolve(Map.of(), Map.of("XDG_CACHE_HOME", "/xdg", "ONYX_CACHE", "/oc")))
                .isEqualTo(Path.of("/oc"));
    }

    @Test
    void theOlderOnyxCacheDirAndTheSystemPropertyStillWork() {
        assertThat(resolve(Map.of(), Map.of("ONYX_CACHE_DIR", "/old", "XDG_CACHE_HOME", "/xdg")))
                .isEqualTo(Path.of("/old"));
        assertThat(resolve(Map.of(), Map.of("ONYX_CACHE_DIR", "/old", "ONYX_CACHE", "/new")))
                .isEqualTo(Path.of("/new"));
        assertThat(resolve(Map.of("onyx.cache.dir", "/prop"), Map.of("ONYX_CACHE", "/new")))
                .isEqualTo(Path.of("/prop"));
    }

    @Test
    void blankValuesCountAsUnset() {
        assertThat(resolve(Map.of("onyx.cache.dir", " "), Map.of("ONYX_CACHE", "", "XDG_CACHE_HOME", "/xdg")))
                .isEqualTo(Path.of("/xdg/onyx"));
    }
}
