package dev.onyx.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The Spark line the build selected ({@code onyx.spark.version}/{@code onyx.spark.line}, set by the pom: 4.0.x by
 * default, 3.5.x with {@code -Pspark-3.5}) is the Spark the tests run on, and the SPARK_HOME that
 * {@code onyx-spark/cluster} assembles for that line ({@code cluster-home/pom.xml}) has the same Spark and Jackson.
 */
class SparkLineTest {
    private static final String VERSION = System.getProperty("onyx.spark.version");
    private static final String LINE = System.getProperty("onyx.spark.line");

    @Test
    void theTestsRunOnTheSelectedSparkLine() {
        assertThat(VERSION).as("onyx.spark.version (set by the pom)").isNotBlank();
        assertThat(VERSION).startsWith(LINE + ".");
        assertThat(LocalSpark.session().version()).isEqualTo(VERSION);
    }

    @Test
    void theClusterHomeAssemblesTheSameSparkAndJacksonForThisLine() throws Exception {
        Path moduleDir = Path.of(System.getProperty("onyx.spark.module.dir", "."));
        Path pom = moduleDir.resolve("cluster-home/pom.xml");
        assertThat(pom).exists();
        Element project;
        try (var in = Files.newInputStream(pom)) {
            project = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(in)
                    .getDocumentElement();
        }
        Element properties = child(project, "properties");
        if (!LINE.equals("4.0")) { // the default line is the pom's own properties; another one is its profile's
            Element profile = null;
            for (Node n = child(project, "profiles").getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && child(e, "id").getTextContent().equals("spark-" + LINE)) {
                    profile = e;
                }
            }
            assertThat(profile).as("profile spark-%s in %s", LINE, pom).isNotNull();
            properties = child(profile, "properties");
        }
        assertThat(child(properties, "spark.version").getTextContent()).isEqualTo(VERSION);
        // The Jackson the tests run with (the module pins it per line) is the one the cluster gets.
        assertThat(child(properties, "spark.jackson.version").getTextContent())
                .isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }
}
