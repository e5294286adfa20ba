package dev.onyx.embed.internal;

/**
 * One text's token ids, untruncated, with how many special tokens lead and trail; immutable by convention (internal:
 * the array is never changed after construction).
 *
 * @param ids token ids including special tokens
 * @param leadingSpecial number of special tokens at the start ([CLS])
 * @param trailingSpecial number of special tokens at the end ([SEP])
 */
public record TokenizedText(long[] ids, int leadingSpecial, int trailingSpecial) {
    public int length() {
        return ids.length;
    }

    /** Word pieces between the special tokens. */
    public int contentLength() {
        return ids.length - leadingSpecial - trailingSpecial;
    }

    /** The HF rule: keep the leading specials, the first word pieces that fit, and the trailing specials. */
    public long[] truncated(int maxTokens) {
        if (ids.length <= maxTokens) {
            return ids;
        }
        return window(0, maxTokens - leadingSpecial - trailingSpecial);
    }

    /** Leading specials + word pieces {@code [start, start + count)} of the content + trailing specials. */
    public long[] window(int start, int count) {
        int n = Math.min(count, contentLength() - start);
        long[] out = new long[leadingSpecial + n + trailingSpecial];
        System.arraycopy(ids, 0, out, 0, leadingSpecial);
        System.arraycopy(ids, leadingSpecial + start, out, leadingSpecial, n);
        System.arraycopy(ids, ids.length - trailingSpecial, out, leadingSpecial + n, trailingSpecial);
        return out;
    }
}
