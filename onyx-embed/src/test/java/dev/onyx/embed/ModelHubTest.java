package dev.onyx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub downloads against a hub-shaped server on 127.0.0.1 serving the Maven-carried int8 MiniLM. */
class ModelHubTest {
    private static final ModelSource.Hub QUANTIZED =
            new ModelSource.Hub(HubFixture.REPO, "main", Optional.of("quantized"));

    @TempDir
    Path dir;

    private HubFixture hub;
    private Path cache;

    @BeforeEach
    void start() throws Exception {
        hub = new HubFixture(dir);
        cache = dir.resolve("hf-cache");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void pullStoresFilesInTheHuggingfaceHubCacheLayout() throws Exception {
        ModelSource.Folder folder = new ModelHub(hub.settings(cache)).pull(QUANTIZED);

        Path repoDir = cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2");
        Path snapshot = repoDir.resolve("snapshots").resolve(HubFixture.COMMIT);
        assertThat(folder.directory()).isEqualTo(snapshot);
        assertThat(folder.variant()).contains("quantized");
        assertThat(Files.readString(repoDir.resolve("refs/main"))).isEqualTo(HubFixture.COMMIT);
        Path onnx = snapshot.resolve(HubFixture.ONNX);
        assertThat(Files.isSymbolicLink(onnx)).isTrue();
        assertThat(Files.readSymbolicLink(onnx)).isEqualTo(Path.of("../../../blobs/" + hub.sha256(HubFixture.ONNX)));
        assertThat(Files.readAllBytes(onnx)).isEqualTo(hub.file(HubFixture.ONNX));
        assertThat(Files.readAllBytes(snapshot.resolve("1_Pooling/config.json")))
                .isEqualTo(hub.file("1_Pooling/config.json"));
        assertThat(snapshot.resolve("README.md")).doesNotExist();
        assertThat(snapshot.resolve("onnx/model_O4.onnx")).doesNotExist();
        try (var blobs = Files.list(repoDir.resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".incomplete"));
        }
    }

    @Test
    void theLfsFileFollowsTheRedirectToTheCdn() throws Exception {
        new ModelHub(hub.settings(cache)).pull(QUANTIZED);

        assertThat(hub.requests("GET"))
                .extracting(HubFixture.Request::path)
                .contains(
                        "/" + HubFixture.REPO + "/resolve/" + HubFixture.COMMIT + "/" + HubFixture.ONNX,
                        "/cdn/" + hub.sha256(HubFixture.ONNX));
    }

    @Test
    void aSecondPullWithEverythingCachedMakesNoRequest() throws Exception {
        ModelHub modelHub = new ModelHub(hub.settings(cache));
        modelHub.pull(QUANTIZED);
        int after = hub.requests.size();

        ModelSource.Folder again = modelHub.pull(QUANTIZED);

        assertThat(hub.requests).hasSize(after);
        assertThat(again.directory()).endsWith(Path.of("snapshots", HubFixture.COMMIT));
    }

    @Test
    void aPulledModelEmbedsIdenticallyToTheSameModelFromItsJar() throws Exception {
        List<String> texts = List.of("The hub and the jar carry the same bytes.", "query: int8 MiniLM", "?");
        ModelSource.Folder folder = new ModelHub(hub.settings(cache)).pull(QUANTIZED);
        try (Embedder pulled = Embedder.open(folder);
                Embedder bundled = Embedder.open(ModelSource.bundled("all-minilm-l6-v2-q"))) {
            assertThat(pulled.info().name()).isEqualTo(HubFixture.REPO);
            assertThat(pulled.info().modelSha256()).isEqualTo(hub.sha256(HubFixture.ONNX));
            assertThat(pulled.maxTokens()).isEqualTo(256);
            assertThat(pulled.prompts()).containsEntry("query", "query: ");
            float[][] a = pulled.embed(texts).toArray();
            float[][] b = bundled.embed(texts).toArray();
            for (int i = 0; i < texts.size(); i++) {
                assertThat(a[i]).as("text %d", i).containsExactly(b[i]);
            }
        }
    }

    @Test
    void aWrongChecksumFailsAndLeavesNoBlob() throws Exception {
        hub.fault(HubFixture.ONNX, HubFixture.Fault.CORRUPT);

        assertThatThrownBy(() -> new ModelHub(hub.settings(cache)).pull(QUANTIZED))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining(HubFixture.ONNX)
                .hasMessageContaining(hub.sha256(HubFixture.ONNX));
        Path blobs = cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/blobs");
        assertThat(blobs.resolve(hub.sha256(HubFixture.ONNX))).doesNotExist();
        assertThat(blobs.resolve(hub.sha256(HubFixture.ONNX) + ".incomplete")).doesNotExist();
        assertThat(cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/refs/main"))
                .doesNotExist();
    }

    @Test
    void anInterruptedTransferResumesWithARangeRequest() throws Exception {
        hub.fault(HubFixture.ONNX, HubFixture.Fault.CUT_FIRST_TRANSFER);
        List<Long> progress = new CopyOnWriteArrayList<>();

        ModelSource.Folder folder = new ModelHub(hub.settings(cache)).pull(QUANTIZED, (file, done, total) -> {
            if (file.endsWith(HubFixture.ONNX)) progress.add(done);
        });

        int size = hub.file(HubFixture.ONNX).length;
        List<String> ranges = hub.requests("GET").stream()
                .filter(r -> r.path().startsWith("/cdn/"))
                .map(HubFixture.Request::range)
                .toList();
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isNull();
        // the server wrote half before dropping the connection; the client resumes from what reached its disk
        assertThat(ranges.get(1)).matches("bytes=\\d+-");
        long resumedAt = Long.parseLong(ranges.get(1).replaceAll("\\D", ""));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(size / 2);
        assertThat(Files.readAllBytes(folder.directory().resolve(HubFixture.ONNX)))
                .isEqualTo(hub.file(HubFixture.ONNX));
        assertThat(progress).last().isEqualTo((long) size);
    }

    @Test
    void aPartialFileFromAnEarlierRunIsResumed() throws Exception {
        String sha = hub.sha256(HubFixture.ONNX);
        Path blobs = Files.createDirectories(cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/blobs"));
        byte[] bytes = hub.file(HubFixture.ONNX);
        Files.write(blobs.resolve(sha + ".incomplete"), java.util.Arrays.copyOf(bytes, 1000));

        new ModelHub(hub.settings(cache)).pull(QUANTIZED);

        assertThat(hub.requests("GET"))
                .filteredOn(r -> r.path().startsWith("/cdn/"))
                .extracting(HubFixture.Request::range)
                .containsExactly("bytes=1000-");
        assertThat(Files.readAllBytes(blobs.resolve(sha))).isEqualTo(bytes);
    }

    @Test
    void unauthorizedRepositoriesNeedAToken() throws Exception {
        ModelSource.Hub privateModel = new ModelSource.Hub(HubFixture.PRIVATE_REPO, "main", Optional.of("quantized"));

        assertThatThrownBy(() -> new ModelHub(hub.settings(cache)).pull(privateModel))
                .isInstanceOfSatisfying(
                        HubException.class, e -> assertThat(e.status()).hasValue(401))
                .hasMessageContaining(HubFixture.PRIVATE_REPO)
                .hasMessageContaining("HF_TOKEN");

        ModelSource.Folder folder = new ModelHub(hub.settings(cache).withToken(HubFixture.TOKEN)).pull(privateModel);
        assertThat(folder.directory().resolve("tokenizer.json")).exists();
        assertThat(hub.requests).filteredOn(r -> r.path().startsWith("/cdn/")).allMatch(HubFixture.Request::authorized);
    }

    @Test
    void unknownRepositoriesRevisionsAndVariantsAreNamedInTheError() {
        ModelHub modelHub = new ModelHub(hub.settings(cache));

        assertThatThrownBy(() -> modelHub.pull(new ModelSource.Hub("nobody/nothing")))
                .isInstanceOfSatisfying(
                        HubException.class, e -> assertThat(e.status()).hasValue(404))
                .hasMessageContaining("nobody/nothing");
        assertThatThrownBy(() -> modelHub.pull(new ModelSource.Hub(HubFixture.REPO, "v9", Optional.empty())))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("404")
                .hasMessageContaining("revision 'v9'");
        assertThatThrownBy(() -> modelHub.pull(new ModelSource.Hub(HubFixture.REPO, "main", Optional.of("fp16"))))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("onnx/model_fp16.onnx")
                .hasMessageContaining("[O4, quantized]");
        assertThatThrownBy(() -> modelHub.pull(new ModelSource.Hub(HubFixture.REPO)))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("onnx/model.onnx");
    }

    @Test
    void offlineWithAnEmptyCacheNamesTheMissingRevisionAndCachePath() {
        ModelHub offline = new ModelHub(hub.settings(cache).withOffline(true));

        assertThatThrownBy(() -> offline.pull(QUANTIZED))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageContaining(cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/refs/main")
                        .toString());
        assertThat(hub.requests).isEmpty();
    }

    @Test
    void offlineWithAMissingFileNamesTheFileAndItsCachePath() throws Exception {
        new ModelHub(hub.settings(cache)).pull(QUANTIZED);
        int after = hub.requests.size();
        ModelHub offline = new ModelHub(hub.settings(cache).withOffline(true));

        assertThat(offline.pull(QUANTIZED).directory().resolve("tokenizer.json"))
                .exists();
        assertThatThrownBy(() -> offline.pull(new ModelSource.Hub(HubFixture.REPO)))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("onnx/model.onnx")
                .hasMessageContaining(cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/snapshots")
                        .resolve(HubFixture.COMMIT)
                        .resolve("onnx/model.onnx")
                        .toString());
        assertThat(hub.requests).hasSize(after);
    }

    @Test
    void aCacheLaidOutByPythonIsUsedWithoutRequests() throws Exception {
        // What huggingface_hub writes: blobs named by etag, relative symlinks from the snapshot, refs/main.
        Path repoDir = cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2");
        Path snapshot = repoDir.resolve("snapshots").resolve(HubFixture.COMMIT);
        for (String file : List.of("tokenizer.json", HubFixture.ONNX)) {
            String etag = HubFixture.hex("SHA-256", new byte[0], hub.file(file));
            Path blob = Files.createDirectories(repoDir.resolve("blobs")).resolve(etag);
            Files.write(blob, hub.file(file));
            Path pointer = snapshot.resolve(file);
            Files.createDirectories(pointer.getParent());
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        }
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), HubFixture.COMMIT);

        ModelSource.Folder folder = new ModelHub(hub.settings(cache)).pull(QUANTIZED);

        assertThat(folder.directory()).isEqualTo(snapshot);
        assertThat(hub.requests).isEmpty();
    }

    @Test
    void settingsComeFromTheHuggingfaceEnvironmentVariables() {
        HubSettings s = HubSettings.fromEnvironment(Map.of(
                "HF_ENDPOINT",
                "http://127.0.0.1:9/",
                "HF_TOKEN",
                "hf_x",
                "HF_HOME",
                "/data/hf",
                "HF_HUB_OFFLINE",
                "1"));
        assertThat(s.endpoint()).hasToString("http://127.0.0.1:9");
        assertThat(s.token()).contains("hf_x");
        assertThat(s.cacheDirectory()).isEqualTo(Path.of("/data/hf/hub"));
        assertThat(s.offline()).isTrue();
        assertThat(s.toString()).doesNotContain("hf_x");

        HubSettings cacheWins = HubSettings.fromEnvironment(
                Map.of("HF_HOME", "/data/hf", "HF_HUB_CACHE", "/fast/hub", "HF_HUB_OFFLINE", "0"));
        assertThat(cacheWins.cacheDirectory()).isEqualTo(Path.of("/fast/hub"));
        assertThat(cacheWins.offline()).isFalse();
        assertThat(cacheWins.endpoint()).isEqualTo(HubSettings.DEFAULT_ENDPOINT);
        assertThat(HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg")).cacheDirectory())
                .isEqualTo(Path.of("/xdg/huggingface/hub"));
    }

    @Test
    void badRepositoryIdsAndEndpointsAreRejectedWithTheRule() {
        assertThatThrownBy(() -> new ModelSource.Hub("no-slash"))
                .hasMessageContaining("'no-slash'")
                .hasMessageContaining("ORG/NAME");
        assertThatThrownBy(() -> new ModelSource.Hub("a/b", "main", Optional.of("../evil")))
                .hasMessageContaining("variant '../evil'");
        assertThatThrownBy(() -> hub.settings(cache).withEndpoint(java.net.URI.create("ftp://x")))
                .hasMessageContaining("ftp://x");
    }
}
