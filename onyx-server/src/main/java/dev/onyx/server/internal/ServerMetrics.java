package dev.onyx.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics: requests by endpoint and status, request time split into tokenization, queue and
 * inference, batch sizes and tokens, queue depth. Thread-safe (Micrometer meters are).
 */
public final class ServerMetrics {
    /** Upper bounds of the batch histograms: powers of two, so "batches larger than 1" is one bucket comparison. */
    private static final double[] BATCH_BUCKETS = powersOfTwo(1, 65_536);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger inFlight = new AtomicInteger();

    public ServerMetrics() {
        Gauge.builder("onyx.http.requests.in.flight", inFlight, AtomicInteger::get)
                .description("HTTP requests being handled")
                .register(registry);
    }

    private static double[] powersOfTwo(int from, int to) {
        int n = Integer.numberOfTrailingZeros(to) - Integer.numberOfTrailingZeros(from) + 1;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = (double) from * (1L << i);
        return out;
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** Counts a finished request and its total time. */
    public void request(String endpoint, int status, long nanos) {
        Counter.builder("onyx.http.requests")
                .description("HTTP requests by endpoint and status")
                .tags("endpoint", endpoint, "status", Integer.toString(status))
                .register(registry)
                .increment();
        timer("onyx.http.request.duration", "Time from request start to response, by endpoint", "endpoint", endpoint)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Records one phase (tokenization, queue, inference) of an embedding request. */
    public void phase(String model, Phase phase, long nanos) {
        timer(
                        "onyx.request.phase.duration",
                        "Time an embedding request spends in tokenization, in the queue, and in inference",
                        "model",
                        model,
                        "phase",
                        phase.label())
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A latency histogram from 10 µs to 60 s. */
    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /**
     * Records one model run of the scheduler: how many inputs (gathered across requests), their tokens, and the tokens
     * the run computed with padding (inputs × the longest); {@code 1 - tokens_sum / padded_tokens_sum} is the share of
     * the model's work spent on padding.
     */
    public void batch(String model, int inputs, long tokens, long paddedTokens) {
        DistributionSummary.builder("onyx.batch.size")
                .description("Inputs per model run, gathered across requests")
                .tags("model", model)
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry)
                .record(inputs);
        DistributionSummary.builder("onyx.batch.tokens")
                .description("Tokens per model run, gathered across requests")
                .tags("model", model)
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry)
                .record(tokens);
        DistributionSummary.builder("onyx.batch.padded.tokens")
                .description("Tokens per model run with padding (inputs times the longest)")
                .tags("model", model)
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry)
                .record(paddedTokens);
    }

    /** Records one gather of the scheduler: how many inputs it took from the queue and planned into runs at once. */
    public void gather(String model, int inputs) {
        DistributionSummary.builder("onyx.gather.size")
                .description("Inputs taken from the queue at once and split into model runs")
                .tags("model", model)
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry)
                .record(inputs);
    }

    /** Registers a model's queue depth: inputs accepted and not yet answered. */
    public void queueDepth(String model, Supplier<Number> depth) {
        Gauge.builder("onyx.queue.depth", depth)
                .description("Inputs accepted and not yet answered (queued or in inference)")
                .tags("model", model)
                .register(registry);
    }

    /** Registers a model's run cost: what one more model run costs in padded tokens, as the scheduler fits it. */
    public void runCost(String model, Supplier<Number> tokens) {
        Gauge.builder("onyx.batch.run.cost.tokens", tokens)
                .description("What one more model run costs, in padded tokens, fitted from the runs' times;"
                        + " the scheduler splits gathers into tighter runs when it is small")
                .tags("model", model)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    /** A phase of an embedding request. */
    public enum Phase {
        TOKENIZATION,
        QUEUE,
        INFERENCE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
