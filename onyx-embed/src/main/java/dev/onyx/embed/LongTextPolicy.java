package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What happens to a text longer than the model's maximum token count; an enum, so immutable and thread-safe. */
public enum LongTextPolicy {
    /** Keep the leading special tokens, the first word pieces that fit and the trailing special tokens (HF, sentence-transformers). */
    TRUNCATE,
    /** Fail with an {@link InputTooLongException} naming the input's index and token count. */
    ERROR,
    /** Split into windows of the maximum length, embed each, and average them weighted by their token counts. */
    CHUNK;

    /** Parses {@code truncate}, {@code error} or {@code chunk}, case-insensitively. */
    public static LongTextPolicy parse(String name) {
        String wanted = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(p -> p.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new OnyxException("unknown long-text policy '" + name + "'; allowed: "
                        + Arrays.stream(values()).map(LongTextPolicy::label).collect(Collectors.joining(", "))));
    }

    /** The lower-case name used on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
