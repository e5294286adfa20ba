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

                - by the library: one `Embedder.embed(texts)` call on an embedder with default options (intra-op
                  threads = cores, spinning on; length-sorted batches of 64: the best case), and
                - by the server: every sentence as its own `POST /v1/embeddings` request, %d concurrent clients
                  (`java.net.http`, HTTP/1.1 keep-alive, in the same JVM), default `ServerConfig` (2 ms wait,
                  16,384-token budget, 2 batch workers × cores/2 intra-op threads, spinning off).

                Rounds alternate library and server, so drifting machine load hits both; each round's ratio is its
                server figure over its own library figure, and the goal is judged on the mean of those ratios.
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
        double ratio = rounds.stream().mapToDouble(ServerRound::ratio).average().orElseThrow();
        double library = rounds.stream()
                .mapToDouble(ServerRound::libraryTextsPerSecond)
                .max()
                .orElseThrow();
        ServerRound best = rounds.stream()
                .max(Comparator.comparingDouble(ServerRound::serverTextsPerSecond))
                .orElseThrow();
        b.append("""

                Mean ratio over %d rounds **%.2f** (best library %.1f texts/s, best server %.1f texts/s: %.2f; that
                round's p50 %.1f ms, p99 %.1f ms). Goal: server ≥ %.1f × library — %s. What the numbers say:

                - Cross-request batching: single-sentence requests ran in batches of %.1f inputs on average (of %d
                  clients, shared by the batch workers): while runs proceed, the other clients queue up the next.
                - The gap to the library comes from (a) padding: the library sorts all texts by length before
                  batching, the server can only sort within one scheduled batch (the scheduler's padding planner splits
                  each batch into length groups), and (b) HTTP, JSON and per-request tokenization sharing the cores
                  with ONNX Runtime (about 1.5 ms of CPU per request on the HTTP threads, measured with thread CPU
                  times, against about 20 ms of model CPU per text).
                """.formatted(
                        rounds.size(),
                        ratio,
                        library,
                        best.serverTextsPerSecond(),
                        best.serverTextsPerSecond() / library,
                        best.p50Millis(),
                        best.p99Millis(),
                        GOAL,
                        ratio >= GOAL ? "met" : "**not met**",
                        best.meanBatch(),
                        best.clients()));
        return b.toString();
    }
}
