package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.ServerRound;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.server.EmbeddingServer;
import dev.onyx.server.LoadTest;
import dev.onyx.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The embedding server under concurrent single-text clients against library {@code embed} on the same texts, through
 * {@link LoadTest}; rounds alternate library and server. Not thread-safe; one run each.
 */
public final class ServerBenchmark {
    private ServerBenchmark() {}

    /** Runs {@code rounds} alternating rounds over {@code texts} with {@code clients} concurrent clients. */
    public static List<ServerRound> run(List<String> texts, int clients, int rounds, PrintStream log)
            throws IOException {
        List<ServerRound> out = new ArrayList<>();
        try (Embedder embedder = Embedder.open(ModelSource.defaultModel(), EmbeddingServer.servingOptions());
                EmbeddingServer server = EmbeddingServer.start(
                        ServerConfig.defaults().withPort(0), Map.of(ModelSource.DEFAULT_MODEL, embedder))) {
            embedder.embed(texts.subList(0, Math.min(100, texts.size()))); // warm-up
            for (int round = 1; round <= rounds; round++) {
                double library = LoadTest.library(embedder, texts);
                LoadTest.ServerRound served = LoadTest.server(server, texts, clients);
                ServerRound r = new ServerRound(
                        round,
                        texts.size(),
                        clients,
                        round1(library),
                        round1(served.textsPerSecond()),
                        round1(served.p50Millis()),
                        round1(served.p99Millis()),
                        round1(served.meanBatch()));
                log.printf(
                        "server round %d: library %.1f texts/s, server %.1f texts/s (ratio %.2f), p50 %.1f ms,"
                                + " p99 %.1f ms%n",
                        round,
                        r.libraryTextsPerSecond(),
                        r.serverTextsPerSecond(),
                        r.ratio(),
                        r.p50Millis(),
                        r.p99Millis());
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
