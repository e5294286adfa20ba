package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.cli.ModuleBoundaries.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The house rule "modules talk through public APIs" checked on the whole checkout (every module's main sources, not
 * only the CLI's): no main source names another module's {@code internal} package except the entries of {@code
 * allowed-internal-imports.txt}, and every Onyx module a main source imports is a declared dependency.
 */
class ModuleBoundariesTest {
    private static final ModuleBoundaries CHECKOUT = new ModuleBoundaries(ModuleBoundaries.checkoutRoot());

    @TempDir
    Path dir;

    @Test
    void theScanSeesEveryModuleAndItsSources() {
        assertThat(CHECKOUT.modules())
                .contains("onyx-onnx", "onyx-runtime", "onyx-embed", "onyx-neat", "onyx-server", "onyx-mcp")
                .contains("onyx-cli", "onyx-spark", "onyx-bench");
        assertThat(CHECKOUT.mainSources())
                .hasSizeGreaterThan(100)
                .anyMatch(p -> p.startsWith("onyx-bench"))
                .anyMatch(p -> p.startsWith("onyx-spark"));
    }

    @Test
    void noMainSourceUsesAnotherModulesInternalPackageBeyondTheAllowList() throws IOException {
        Set<String> allowed = allowList();
        Set<String> found = new TreeSet<>();
        CHECKOUT.internalUses().forEach(v -> found.add(v.toString()));

        Set<String> unexpected = new TreeSet<>(found);
        unexpected.removeAll(allowed);
        Set<String> stale = new TreeSet<>(allowed);
        stale.removeAll(found);

        assertThat(unexpected)
                .as("main sources naming another module's internal class (make a public API instead)")
                .isEmpty();
        assertThat(stale)
                .as("allowed-internal-imports.txt lines that no longer match a use: delete them")
                .isEmpty();
    }

    @Test
    void everyImportedOnyxModuleIsADeclaredDependency() {
        assertThat(CHECKOUT.undeclaredDependencies())
                .as("module -> Onyx modules its main code imports without a <dependency> in its pom.xml")
                .isEmpty();
    }

    @Test
    void theScannerCatchesAnInternalUseAndAnUndeclaredModule() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), "<modules><module>onyx-a</module><module>onyx-b</module></modules>");
        Files.createDirectories(dir.resolve("onyx-a"));
        Files.writeString(dir.resolve("onyx-a/pom.xml"), "<project><dependencies/></project>");
        Path source = dir.resolve("onyx-a/src/main/java/dev/onyx/a/Uses.java");
        Files.createDirectories(source.getParent());
        Files.writeString(
                source,
                "package dev.onyx.a;\nimport dev.onyx.a.internal.Own;\nimport dev.onyx.b.Api;\n"
                        + "class Uses { Object x = new dev.onyx.b.internal.deep.Hidden(); }\n");
        ModuleBoundaries fake = new ModuleBoundaries(dir);

        assertThat(fake.internalUses())
                .containsExactly(
                        new Violation("onyx-a/src/main/java/dev/onyx/a/Uses.java", "dev.onyx.b.internal.deep.Hidden"));
        assertThat(fake.undeclaredDependencies()).containsEntry("onyx-a", Set.of("onyx-b"));

        Files.writeString(
                dir.resolve("onyx-a/pom.xml"),
                "<project><dependencies><dependency><artifactId>onyx-b</artifactId></dependency>"
                        + "</dependencies></project>");
        assertThat(fake.undeclaredDependencies()).isEmpty();
    }

    private static Set<String> allowList() throws IOException {
        Set<String> lines = new TreeSet<>();
        try (InputStream in = ModuleBoundariesTest.class.getResourceAsStream("/allowed-internal-imports.txt")) {
            assertThat(in)
                    .as("allowed-internal-imports.txt on the test classpath")
                    .isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed.replaceAll("\\s+", " "));
                }
            }
        }
        return lines;
    }
}
