package dev.onyx.springai;

/**
 * Told about every embedding call an {@link OnyxEmbeddingModel} completes (for metrics); implementations must be
 * thread-safe and quick, since they run on the caller's thread after each call.
 */
@FunctionalInterface
public interface EmbeddingObserver {
    /** An observer that does nothing. */
    EmbeddingObserver NONE = (texts, tokens, nanos) -> {};

    /**
     * @param texts how many texts the call embedded
     * @param tokens the tokens the model was fed, special tokens and prompts included
     * @param nanos the call's wall time in nanoseconds
     */
    void embedded(int texts, long tokens, long nanos);
}
