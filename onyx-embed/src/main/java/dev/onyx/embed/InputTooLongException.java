package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;

/** An input longer than the model allows under {@link LongTextPolicy#ERROR}; immutable. */
public final class InputTooLongException extends OnyxException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int tokenCount;
    private final int maxTokens;

    public InputTooLongException(int index, int tokenCount, int maxTokens) {
        super("input " + index + " has " + tokenCount + " tokens (with special tokens); the model allows at most "
                + maxTokens + " (use long-text policy truncate or chunk to accept it)");
        this.index = index;
        this.tokenCount = tokenCount;
        this.maxTokens = maxTokens;
    }

    /** Position of the offending input in the call's list. */
    public int index() {
        return index;
    }

    public int tokenCount() {
        return tokenCount;
    }

    public int maxTokens() {
        return maxTokens;
    }
}
