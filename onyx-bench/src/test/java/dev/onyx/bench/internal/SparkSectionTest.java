package dev.onyx.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparkSectionTest {
    private static final String PART =
            SparkSection.CLUSTER_BEGIN + "\n\n### On a standalone cluster\n\n| a | 1 |\n\n" + SparkSection.CLUSTER_END;

    @Test
    void theClusterPartOfTheReplacedReportMovesToTheEndOfTheFreshSparkSection() {
        String previous = "# Report\n\n## Spark (`onyx-spark`)\n\nold table\n\n" + PART + "\n\n## Later\n\nx\n";
        String fresh = "# Report\n\n## Spark (`onyx-spark`)\n\nnew table\n\n## Later\n\ny\n";

        assertThat(SparkSection.keepClusterPart(previous, fresh))
                .isEqualTo("# Report\n\n## Spark (`onyx-spark`)\n\nnew table\n\n" + PART + "\n\n## Later\n\ny\n");
    }

    @Test
    void aSparkSectionAtTheEndGetsThePartAtTheEnd() {
        String previous = "## Spark\n\nold\n\n" + PART + "\n";

        assertThat(SparkSection.keepClusterPart(previous, "## Spark\n\nnew\n"))
                .isEqualTo("## Spark\n\nnew\n\n" + PART + "\n");
    }

    @Test
    void withoutAClusterPartTheFreshReportIsUnchanged() {
        assertThat(SparkSection.keepClusterPart("## Spark\n\nold\n", "## Spark\n\nnew\n"))
                .isEqualTo("## Spark\n\nnew\n");
    }
}
