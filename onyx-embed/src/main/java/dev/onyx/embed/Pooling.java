package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How token vectors become one text vector; an enum, so immutable and thread-safe. Every mode honours the attention mask. */
public enum Pooling {
    /** Average of the token vectors where the attention mask is 1 (all-MiniLM-L6-v2, E5). */
    MEAN,
    /** The vector of the first token, {@code [CLS]} (BGE). */
    CLS,
    /** Element-wise maximum over the token vectors where the attention mask is 1. */
    MAX;

    /** Parses {@code mean}, {@code cls} or {@code max}, case-insensitively. */
    public static Pooling parse(String name) {
        String wanted = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(p -> p.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new OnyxException("unknown pooling '" + name + "'; allowed: "
                        + Arrays.stream(values()).map(Pooling::label).collect(Collectors.joining(", "))));
    }

    /** The lower-case name used on the command line and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
