package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.ServerRound;
import dev.onyx.server.LoadTest;
import dev.onyx.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

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
        for (LoadTest.Round round : LoadTest.run(texts, clients, rounds, ServerConfig.defaults(), log)) {
            LoadTest.ServerRound served = round.server();
            out.add(new ServerRound(
                    round.round(),
                    texts.size(),
                    clients,
                    round1(round.libraryTextsPerSecond()),
                    round1(served.textsPerSecond()),
                    round1(served.p50Millis()),
                    round1(served.p99Millis()),
                    round1(served.meanBatch())));
        }
        return List.copyOf(out);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
