package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.ServerRound;
import java.util.Comparator;
import java.util.List;

/** The "Embedding server vs library" section; stateless. */
final class ServerSection {
    /** The goal: the server's throughput over the library's. */
    static final double GOAL = 0.8;

    private ServerSection() {}

    static String render(List<ServerRound> rounds) {
        if (rounds.isEmpty()) {
            return "";
        }
        ServerRound first = rounds.get(0);
        StringBuilder b = new StringBuilder(
                """
                ## Embedding server vs library (`onyx-server`, `dev.onyx.server.LoadTest`)

                What it measures: the first %,d non-blank lines of the corpus (State of the Union sentences by default),
                embedded

                - by the library: one `Embedder.embed(texts)` call (length-sorted batches of 64, the best case), and
                - by the server: every sentence as its own `POST /v1/embeddings` request, %d concurrent clients
                  (`java.net.http`, HTTP/1.1 keep-alive, in the same JVM), default `ServerConfig` (2 ms wait,
                  16,384-token budget).

                Rounds alternate library and server (so drifting machine load hits both); the best of each is compared.
                Latency is per request, client-side, from send to full response.

                ```
                ./onyx bench --sections server --server-texts %d --server-clients %d --server-rounds %d
                ```

                | Round | library texts/s | server texts/s | ratio | p50 ms | p99 ms | mean inputs per scheduled batch |
                |---:|---:|---:|---:|---:|---:|---:|
                """.formatted(first.texts(), first.clients(), first.texts(), first.clients(), rounds.size()));
        for (ServerRound r : rounds) {
            b.append("| %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f |\n"
                    .formatted(
                            r.round(),
                            r.libraryTextsPerSecond(),
                            r.serverTextsPerSecond(),
                            r.ratio(),
                            r.p50Millis(),
                            r.p99Millis(),
                            r.meanBatch()));
        }
        double library = rounds.stream()
                .mapToDouble(ServerRound::libraryTextsPerSecond)
                .max()
                .orElseThrow();
        ServerRound best = rounds.stream()
                .max(Comparator.comparingDouble(ServerRound::serverTextsPerSecond))
                .orElseThrow();
        double ratio = best.serverTextsPerSecond() / library;
        b.append("""

                Best: library %.1f texts/s, server %.1f texts/s, ratio **%.2f** (p50 %.1f ms, p99 %.1f ms). Goal:
                server ≥ %.1f × library — %s. What the numbers say:

                - Cross-request batching: single-sentence requests ran in batches of %.1f inputs on average (of %d
                  clients): while one batch runs, the other clients queue up the next.
                - The gap to the library comes from (a) padding: the library sorts all texts by length before
                  batching, the server can only sort within one scheduled batch (the scheduler's padding planner splits
                  each batch into length groups), and (b) HTTP, JSON and per-request tokenization sharing the cores
                  with ONNX Runtime.
                """.formatted(
                        library,
                        best.serverTextsPerSecond(),
                        ratio,
                        best.p50Millis(),
                        best.p99Millis(),
                        GOAL,
                        ratio >= GOAL ? "met" : "**not met**",
                        best.meanBatch(),
                        best.clients()));
        return b.toString();
    }
}
