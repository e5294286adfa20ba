package dev.onyx.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The tests' one Spark session, {@code local[2]} on 127.0.0.1 without UI, shared by every test class of this JVM. */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("onyx-spark-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
    }

    /** The 2,000 State of the Union sentences (1790–) the tests embed, in file order. */
    static List<String> sotuSentences() {
        try (InputStream in = LocalSpark.class.getResourceAsStream("/sotu-2000.txt")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new ArrayList<>(all.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double cosine(float[] a, float[] b) {
        return dev.onyx.embed.Similarity.cosine(a, b);
    }

    /** An {@code array<float>} cell of a collected row as a float array. */
    static float[] vector(org.apache.spark.sql.Row row, int column) {
        List<Float> values = row.getList(column);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
