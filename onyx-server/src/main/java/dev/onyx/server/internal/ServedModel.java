package dev.onyx.server.internal;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.Health;
import dev.onyx.embed.ModelInfo;
import dev.onyx.server.internal.ServerMetrics.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * One model as the server serves it: its names, its embedder (owned by whoever started the server) and its batch
 * scheduler. Thread-safe. Requests are tokenized on the calling (HTTP) thread, so the scheduler's worker only runs
 * the model, and a request with a bad input is refused before it can share a batch with others.
 */
public final class ServedModel implements AutoCloseable {
    private final List<String> names;
    private final Embedder embedder;
    private final ModelInfo info;
    private final BatchScheduler scheduler;
    private final ServerMetrics metrics;

    public ServedModel(List<String> names, Embedder embedder, BatchScheduler scheduler, ServerMetrics metrics) {
        this.names = List.copyOf(names);
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.info = embedder.info();
    }

    /** The first name it was registered under: what responses report. */
    public String name() {
        return names.get(0);
    }

    public List<String> names() {
        return names;
    }

    public Embedder embedder() {
        return embedder;
    }

    public ModelInfo info() {
        return info;
    }

    /** Raw (unnormalized) pooled vectors in input order, and the tokens the model was fed. */
    public record Result(float[][] vectors, long promptTokens) {}

    /**
     * Tokenizes, queues and waits for the vectors of one request.
     *
     * @param truncate whether texts longer than the model's maximum are cut (the HF rule) or refused with 422
     * @param field the request field the inputs came from, for error messages
     */
    public Result embed(Inputs inputs, boolean truncate, String field) {
        long start = System.nanoTime();
        List<long[]> ids = encode(inputs, truncate, field);
        int tokens = 0;
        for (long[] row : ids) tokens += row.length;
        metrics.phase(name(), Phase.TOKENIZATION, System.nanoTime() - start);
        BatchScheduler.Outcome outcome = await(scheduler.submit(ids, tokens));
        metrics.phase(name(), Phase.QUEUE, outcome.queueNanos());
        metrics.phase(name(), Phase.INFERENCE, outcome.inferenceNanos());
        return new Result(outcome.vectors(), tokens);
    }

    /**
     * Every token's last hidden state for each row of token ids (TEI's {@code /embed_all}), computed by one of the
     * scheduler's workers (the model call does not batch with others, but queues and drains with them).
     */
    public List<float[][]> tokenEmbeddings(List<long[]> ids) {
        return await(scheduler.submitAlone(ids.size(), () -> {
            List<float[][]> out = new ArrayList<>(ids.size());
            for (long[] row : ids) out.add(embedder.tokenEmbeddings(row));
            return out;
        }));
    }

    /** The token ids of each input as the model is fed them; 422 naming the input that is too long. */
    List<long[]> encode(Inputs inputs, boolean truncate, String field) {
        List<long[]> out = new ArrayList<>(inputs.size());
        if (inputs instanceof Inputs.Texts texts) {
            for (int i = 0; i < texts.size(); i++) {
                out.add(tokenize(texts.texts().get(i), truncate, field + "[" + i + "]"));
            }
        } else {
            List<long[]> rows = ((Inputs.TokenIds) inputs).ids();
            for (int i = 0; i < rows.size(); i++) {
                out.add(checkIds(rows.get(i), field + "[" + i + "]"));
            }
        }
        return out;
    }

    private long[] tokenize(String text, boolean truncate, String name) {
        long[] ids = embedder.tokenIds(text);
        int max = embedder.maxTokens();
        if (ids.length > max || (!truncate && ids.length == max)) {
            int untruncated = ids.length > max ? ids.length : embedder.countTokens(text);
            if (untruncated > max) {
                throw new ApiException(
                        ErrorKind.INPUT_TOO_LONG,
                        name,
                        name + " has " + untruncated + " tokens (with special tokens); model " + name()
                                + " allows at most " + max + (truncate ? "" : " and truncate is false"));
            }
        }
        return ids;
    }

    private long[] checkIds(long[] ids, String name) {
        if (ids.length > embedder.maxTokens()) {
            throw new ApiException(
                    ErrorKind.INPUT_TOO_LONG,
                    name,
                    name + " has " + ids.length + " token ids; model " + name() + " allows at most "
                            + embedder.maxTokens());
        }
        long maxId = embedder.maxTokenId();
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] > maxId) {
                throw ApiException.badRequest(
                        name,
                        name + "[" + j + "] is token id " + ids[j] + "; model " + name() + " knows ids 0 to " + maxId);
            }
        }
        return ids;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false); // nobody waits for it any more: keep it out of runs not yet started
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorKind.UNAVAILABLE, null, "interrupted while waiting for the model");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(ErrorKind.INTERNAL, null, "inference failed: " + e.getCause());
        }
    }

    /** Whether the scheduler runs and a probe embedding works; never throws. */
    public Health health() {
        if (!scheduler.running()) {
            return new Health(false, "the batch scheduler of " + name() + " is not running", 0);
        }
        return embedder.health();
    }

    /** Answers the requests not yet running with 503 (see {@link BatchScheduler#abandonQueued()}). */
    public int abandonQueued() {
        return scheduler.abandonQueued();
    }

    /**
     * Closes the scheduler after its queued requests and returns once no model run is in progress; the embedder stays
     * open (its owner closes it).
     */
    @Override
    public void close() {
        scheduler.close();
    }
}
