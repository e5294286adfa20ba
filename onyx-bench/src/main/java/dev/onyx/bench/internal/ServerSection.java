package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport;
import dev.onyx.bench.BenchReport.ServerLoad;
import dev.onyx.bench.BenchReport.ServerRound;
import dev.onyx.bench.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;

/** The "Embedding server vs library" section, from the run's rounds and settings; stateless. */
final class ServerSection {
    /** Issue 15's goals: server / library throughput at 32 one-text clients, and with 8-text requests. */
    static final double GOAL_ONE_TEXT = 0.9;

    static final double GOAL_MANY_TEXTS = 0.95;
    static final int GOAL_CLIENTS = 32;
    static final int GOAL_MANY_TEXTS_PER_REQUEST = 8;
    /** Issue 15's goal: p99 at most this many times p50 at 32 one-text clients. */
    static final double GOAL_TAIL = 3;

    private ServerSection() {}

    /** A load's figures over every round. */
    record Summary(
            int clients,
            int textsPerRequest,
            double meanRatio,
            double minRatio,
            double maxRatio,
            double meanTextsPerSecond,
            double meanP50,
            double meanP95,
            double meanP99,
            int errors) {}

    /** Per load, in the order of the first round's loads: means over rounds. */
    static List<Summary> summarize(List<ServerRound> rounds) {
        List<Summary> out = new ArrayList<>();
        for (int i = 0; i < rounds.get(0).loads().size(); i++) {
            int k = i;
            List<ServerLoad> loads = rounds.stream().map(r -> r.loads().get(k)).toList();
            out.add(new Summary(
                    loads.get(0).clients(),
                    loads.get(0).textsPerRequest(),
                    mean(loads.stream().mapToDouble(ServerLoad::ratio)),
                    loads.stream().mapToDouble(ServerLoad::ratio).min().orElseThrow(),
                    loads.stream().mapToDouble(ServerLoad::ratio).max().orElseThrow(),
                    mean(loads.stream().mapToDouble(ServerLoad::textsPerSecond)),
                    mean(loads.stream().mapToDouble(ServerLoad::p50Millis)),
                    mean(loads.stream().mapToDouble(ServerLoad::p95Millis)),
                    mean(loads.stream().mapToDouble(ServerLoad::p99Millis)),
                    loads.stream().mapToInt(ServerLoad::errors).sum()));
        }
        return out;
    }

    private static double mean(DoubleStream values) {
        return values.average().orElseThrow();
    }

    static String render(BenchReport report) {
        List<ServerRound> rounds = report.server();
        if (rounds.isEmpty()) {
            return "";
        }
        BenchReport.Settings s = report.settings();
        StringBuilder b = new StringBuilder("""
                ## Embedding server vs library (`onyx-server`)

                ```
                %s
                ```

                What it measures: the first %,d non-blank lines of the corpus, embedded by the library (one
                `Embedder.embed(texts)` call, default options) and by the server: `EmbeddingServer` started with
                `ServerConfig.defaults()` (`%s`), its model opened with `EmbeddingServer.servingOptions(config)`
                (`%s`). Under each load, that many clients (%s; in the same JVM as the server)
                send `POST /v1/embeddings` requests of that many texts until every text is sent. A round is one library
                pass, then every load, the loads' order rotating from round to round; a load's ratio is its texts/s over
                the same round's library texts/s. Before the rounds: %s. Latency is per request, client-side, from send to full response.
                "Mean batch" is inputs per scheduled model batch, from the server's `/metrics` (— when it reports none).

                | Round | clients | texts per request | library texts/s | server texts/s | ratio | p50 ms | p95 ms | p99 ms | mean batch | errors |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """.formatted(
                        s.commandFor(Section.SERVER),
                        rounds.get(0).texts(),
                        s.serverConfig(),
                        s.serverEmbedOptions(),
                        s.serverClient().isEmpty() ? "a client this result does not name" : s.serverClient(),
                        s.serverWarmUp().isEmpty() ? "a warm-up this result does not describe" : s.serverWarmUp()));
        for (ServerRound r : rounds) {
            for (ServerLoad l : r.loads()) {
                b.append("| %d | %d | %d | %.1f | %.1f | %.3f | %.1f | %.1f | %.1f | %s | %d |\n"
                        .formatted(
                                r.round(),
                                l.clients(),
                                l.textsPerRequest(),
                                r.libraryTextsPerSecond(),
                                l.textsPerSecond(),
                                l.ratio(),
                                l.p50Millis(),
                                l.p95Millis(),
                                l.p99Millis(),
                                l.meanBatch() > 0 ? "%.1f".formatted(l.meanBatch()) : "—",
                                l.errors()));
            }
        }
        List<Summary> summaries = summarize(rounds);
        b.append("""

                Over %s (library: mean %.1f texts/s):

                | clients | texts per request | mean ratio | ratio range | mean server texts/s | mean p50 ms | mean p95 ms | mean p99 ms | p99 / p50 | errors |
                |---:|---:|---:|---|---:|---:|---:|---:|---:|---:|
                """.formatted(
                        StandardSections.count(rounds.size(), "round"),
                        mean(rounds.stream().mapToDouble(ServerRound::libraryTextsPerSecond))));
        for (Summary m : summaries) {
            b.append("| %d | %d | %.3f | %.3f–%.3f | %.1f | %.1f | %.1f | %.1f | %.2f | %d |\n"
                    .formatted(
                            m.clients(),
                            m.textsPerRequest(),
                            m.meanRatio(),
                            m.minRatio(),
                            m.maxRatio(),
                            m.meanTextsPerSecond(),
                            m.meanP50(),
                            m.meanP95(),
                            m.meanP99(),
                            m.meanP99() / m.meanP50(),
                            m.errors()));
        }
        List<String> goals = new ArrayList<>();
        for (Summary m : summaries) {
            if (m.clients() == GOAL_CLIENTS && m.textsPerRequest() == 1) {
                goals.add(goal(
                        "%d one-text clients: mean ratio %.3f, goal ≥ %s"
                                .formatted(m.clients(), m.meanRatio(), GOAL_ONE_TEXT),
                        m.meanRatio() >= GOAL_ONE_TEXT && m.errors() == 0,
                        m.errors()));
                double tail = m.meanP99() / m.meanP50();
                goals.add(goal(
                        "%d one-text clients: p99 / p50 %.2f, goal ≤ %s".formatted(m.clients(), tail, GOAL_TAIL),
                        tail <= GOAL_TAIL,
                        -1));
            }
            if (m.clients() == GOAL_CLIENTS && m.textsPerRequest() == GOAL_MANY_TEXTS_PER_REQUEST) {
                goals.add(goal(
                        "%d clients, %d texts per request: mean ratio %.3f, goal ≥ %s"
                                .formatted(m.clients(), m.textsPerRequest(), m.meanRatio(), GOAL_MANY_TEXTS),
                        m.meanRatio() >= GOAL_MANY_TEXTS && m.errors() == 0,
                        m.errors()));
            }
        }
        if (!goals.isEmpty()) {
            b.append("\nGoals (issue 15):\n\n");
            goals.forEach(g -> b.append("- ").append(g).append('\n'));
        }
        return b.toString();
    }

    private static String goal(String what, boolean met, int errors) {
        return what + (errors > 0 ? " with %d errors".formatted(errors) : "") + " — " + (met ? "met" : "**not met**")
                + ".";
    }
}
