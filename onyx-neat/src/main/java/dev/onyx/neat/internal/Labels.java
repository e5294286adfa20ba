package dev.onyx.neat.internal;

import dev.onyx.neat.NeatException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** Lower-case labels for enums, parsed once at the edge; stateless and thread-safe. */
public final class Labels {
    private Labels() {}

    /** The enum constant's name in lower case, e.g. {@code "full_direct"}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose {@link #of label} is {@code value} (case-insensitive); the error lists the allowed ones. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        Objects.requireNonNull(value, what);
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wanted)) {
                return constant;
            }
        }
        throw new NeatException("unknown " + what + " '" + value + "'; allowed: "
                + Arrays.stream(type.getEnumConstants()).map(Labels::of).collect(Collectors.joining(", ")));
    }
}
