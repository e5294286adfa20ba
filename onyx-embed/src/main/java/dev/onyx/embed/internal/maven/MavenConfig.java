package dev.onyx.embed.internal.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Maven's settings and local repository are, and whether to stay offline; an immutable record.
 *
 * @param userSettings the user's {@code settings.xml} (need not exist)
 * @param globalSettings the installation's {@code conf/settings.xml}, if any
 * @param localRepository a local repository that overrides the settings' {@code localRepository}, if any
 * @param offline whether to use only local files (Maven's own {@code <offline>true} in the settings counts too)
 */
public record MavenConfig(
        Path userSettings, Optional<Path> globalSettings, Optional<Path> localRepository, boolean offline) {
    public MavenConfig {
        Objects.requireNonNull(userSettings, "userSettings");
        Objects.requireNonNull(globalSettings, "globalSettings");
        Objects.requireNonNull(localRepository, "localRepository");
    }

    /**
     * As Maven reads them: {@code ~/.m2/settings.xml} ({@code user.home}); the global settings of {@code MAVEN_HOME} or
     * {@code M2_HOME}; system property {@code maven.repo.local}; offline when {@code ONYX_OFFLINE} or system property
     * {@code onyx.offline} is {@code 1} or {@code true}.
     */
    public static MavenConfig fromEnvironment() {
        Path home = Path.of(System.getProperty("user.home"));
        Optional<Path> global = Optional.ofNullable(System.getenv("MAVEN_HOME"))
                .or(() -> Optional.ofNullable(System.getenv("M2_HOME")))
                .map(dir -> Path.of(dir, "conf", "settings.xml"))
                .filter(Files::isRegularFile);
        Optional<Path> local = Optional.ofNullable(System.getProperty("maven.repo.local"))
                .filter(s -> !s.isBlank())
                .map(Path::of);
        boolean offline = truthy(System.getenv("ONYX_OFFLINE")) || truthy(System.getProperty("onyx.offline"));
        return new MavenConfig(home.resolve(".m2").resolve("settings.xml"), global, local, offline);
    }

    static boolean truthy(String value) {
        return value != null
                && (value.equals("1") || value.toLowerCase(Locale.ROOT).equals("true"));
    }

    public MavenConfig withOffline(boolean offline) {
        return new MavenConfig(userSettings, globalSettings, localRepository, offline);
    }

    public MavenConfig withUserSettings(Path userSettings) {
        return new MavenConfig(userSettings, globalSettings, localRepository, offline);
    }

    public MavenConfig withLocalRepository(Path localRepository) {
        return new MavenConfig(userSettings, globalSettings, Optional.of(localRepository), offline);
    }
}
