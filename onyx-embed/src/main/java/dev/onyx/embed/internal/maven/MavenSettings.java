package dev.onyx.embed.internal.maven;

import dev.onyx.runtime.OnyxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Repository;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.MirrorSelector;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.ProxySelector;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

/**
 * Reads Maven's {@code settings.xml} (user over global, {@code ${env.X}} and {@code ${user.home}} interpolated, as
 * Maven's own settings builder does) and turns it into Maven Resolver's selectors; stateless, so thread-safe.
 * Encrypted server passwords ({@code {...}}, settings-security.xml) are passed through undecrypted.
 */
final class MavenSettings {
    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    private MavenSettings() {}

    static Settings read(MavenConfig config) {
        Properties system = new Properties();
        system.putAll(System.getProperties());
        System.getenv().forEach((k, v) -> system.setProperty("env." + k, v));
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(config.userSettings().toFile());
        config.globalSettings().ifPresent(file -> request.setGlobalSettingsFile(file.toFile()));
        request.setSystemProperties(system);
        try {
            return new DefaultSettingsBuilderFactory()
                    .newInstance()
                    .build(request)
                    .getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new OnyxException(
                    "cannot read Maven settings " + config.userSettings()
                            + config.globalSettings().map(g -> " / " + g).orElse("") + ": " + e.getMessage(),
                    e);
        }
    }

    static Path localRepository(MavenConfig config, Settings settings) {
        if (config.localRepository().isPresent()) {
            return config.localRepository().get();
        }
        String configured = settings.getLocalRepository();
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Maven Central, then the repositories of the active profiles (as Maven orders them, central stays first). */
    static List<RemoteRepository> repositories(Settings settings) {
        Map<String, RemoteRepository> repositories = new LinkedHashMap<>();
        repositories.put("central", remote("central", CENTRAL_URL));
        List<String> active = new ArrayList<>(settings.getActiveProfiles());
        for (Profile profile : settings.getProfiles()) {
            boolean byDefault =
                    profile.getActivation() != null && profile.getActivation().isActiveByDefault();
            if (!active.contains(profile.getId()) && !byDefault) {
                continue;
            }
            for (Repository repository : profile.getRepositories()) {
                if (repository.getReleases() == null || repository.getReleases().isEnabled()) {
                    repositories.put(repository.getId(), remote(repository.getId(), repository.getUrl()));
                }
            }
        }
        return List.copyOf(repositories.values());
    }

    private static RemoteRepository remote(String id, String url) {
        RepositoryPolicy releases =
                new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_NEVER, RepositoryPolicy.CHECKSUM_POLICY_FAIL);
        RepositoryPolicy snapshots = new RepositoryPolicy(
                false, RepositoryPolicy.UPDATE_POLICY_NEVER, RepositoryPolicy.CHECKSUM_POLICY_FAIL);
        return new RemoteRepository.Builder(id, "default", url)
                .setReleasePolicy(releases)
                .setSnapshotPolicy(snapshots)
                .build();
    }

    static MirrorSelector mirrors(Settings settings) {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (Mirror mirror : settings.getMirrors()) {
            selector.add(
                    mirror.getId(),
                    mirror.getUrl(),
                    mirror.getLayout(),
                    false,
                    mirror.isBlocked(),
                    mirror.getMirrorOf(),
                    mirror.getMirrorOfLayouts());
        }
        return selector;
    }

    static ProxySelector proxies(Settings settings) {
        DefaultProxySelector selector = new DefaultProxySelector();
        for (org.apache.maven.settings.Proxy proxy : settings.getProxies()) {
            if (!proxy.isActive()) {
                continue;
            }
            AuthenticationBuilder auth =
                    new AuthenticationBuilder().addUsername(proxy.getUsername()).addPassword(proxy.getPassword());
            selector.add(
                    new Proxy(proxy.getProtocol(), proxy.getHost(), proxy.getPort(), auth.build()),
                    proxy.getNonProxyHosts());
        }
        return selector;
    }

    static AuthenticationSelector authentication(Settings settings) {
        DefaultAuthenticationSelector selector = new DefaultAuthenticationSelector();
        for (Server server : settings.getServers()) {
            selector.add(
                    server.getId(),
                    new AuthenticationBuilder()
                            .addUsername(server.getUsername())
                            .addPassword(server.getPassword())
                            .addPrivateKey(server.getPrivateKey(), server.getPassphrase())
                            .build());
        }
        return selector;
    }
}
