package dev.onyx.bench.internal;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The latency contenders, each opened once: Onyx ({@code Embedder} with default options), the floor on the file as
 * exported and on Onyx's fused copy, and LangChain4j. Opened either all in one process (rotated calls) or one alone
 * (its own process). Not thread-safe; the caller closes it.
 */
public final class Contenders implements AutoCloseable {
    public static final String ONYX = "onyx";
    public static final String FLOOR = "floor";
    public static final String FLOOR_FUSED = "floor-fused";
    public static final String LANGCHAIN4J = "langchain4j";
    /** The latency contenders, in the order of the report. */
    public static final List<String> LATENCY = List.of(ONYX, FLOOR, FLOOR_FUSED, LANGCHAIN4J);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, Contender> byName = new LinkedHashMap<>();

    /** What a latency call does: embed one text, or several at once. */
    private interface Contender {
        float[] one(String text);

        float[][] many(List<String> texts);
    }

    private Contenders() {}

    /** Opens the named contenders, in order. */
    public static Contenders open(List<String> names, ModelFiles files, int floorBatch, int floorThreads)
            throws IOException {
        Contenders c = new Contenders();
        try {
            for (String name : names) {
                c.byName.put(name, c.contender(name, files, floorBatch, floorThreads));
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private Contender contender(String name, ModelFiles files, int floorBatch, int floorThreads) throws IOException {
        switch (name) {
            case ONYX -> {
                Embedder e = keep(Embedder.open(ModelSource.parse(files.model())));
                return new Contender() {
                    public float[] one(String text) {
                        return e.embed(text);
                    }

                    public float[][] many(List<String> texts) {
                        return e.embed(texts).toArray();
                    }
                };
            }
            case FLOOR, FLOOR_FUSED -> {
                Floor f = keep(files.openFloor(name.equals(FLOOR_FUSED), floorBatch, floorThreads));
                return new Contender() {
                    public float[] one(String text) {
                        return f.embed(text);
                    }

                    public float[][] many(List<String> texts) {
                        return f.embed(texts);
                    }
                };
            }
            case LANGCHAIN4J -> {
                LangChain4jPeer p = new LangChain4jPeer();
                return new Contender() {
                    public float[] one(String text) {
                        return p.embed(text);
                    }

                    public float[][] many(List<String> texts) {
                        return p.embedAll(texts).vectors();
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown contender " + name);
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    /** One call per contender embedding {@code text}; each returns a number from its vector (to keep it live). */
    public Map<String, DoubleSupplier> single(String text) {
        Map<String, DoubleSupplier> calls = new LinkedHashMap<>();
        byName.forEach((name, c) -> calls.put(name, () -> c.one(text)[0]));
        return calls;
    }

    /** One call per contender embedding all of {@code texts} at once. */
    public Map<String, DoubleSupplier> batch(List<String> texts) {
        Map<String, DoubleSupplier> calls = new LinkedHashMap<>();
        byName.forEach((name, c) -> calls.put(name, () -> c.many(texts)[texts.size() - 1][0]));
        return calls;
    }

    /**
     * Times calls: {@code warmUp} untimed rounds, then {@code calls} timed rounds; in round {@code i} every contender
     * makes one call, starting with contender {@code i mod n} (so none is always first or always after the same one).
     * Before every call it pauses {@code gapMillis} (untimed; 0 for none), as between a service's sparse requests: ONNX
     * Runtime's idle threads, which spin for a while after a run, may have gone to sleep. Returns milliseconds per call,
     * {@code [contender][call]}.
     */
    public static double[][] rotate(
            List<DoubleSupplier> contenders, int warmUp, int calls, int gapMillis, double[] sink) {
        int n = contenders.size();
        for (int i = 0; i < warmUp; i++) {
            for (int k = 0; k < n; k++) {
                pause(gapMillis);
                sink[0] += contenders.get((i + k) % n).getAsDouble();
            }
        }
        double[][] millis = new double[n][calls];
        for (int i = 0; i < calls; i++) {
            for (int k = 0; k < n; k++) {
                int c = (i + k) % n;
                pause(gapMillis);
                long start = System.nanoTime();
                sink[0] += contenders.get(c).getAsDouble();
                millis[c][i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return millis;
    }

    private static void pause(int millis) {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnyxException("interrupted between latency calls", e);
        }
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more; the benchmark has its results
            }
        }
        open.clear();
    }
}
