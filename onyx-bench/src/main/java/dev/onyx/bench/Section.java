package dev.onyx.bench;

import dev.onyx.runtime.OnyxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The parts of {@code onyx bench} that can be run alone ({@code --sections}); Spark runs outside, see the report. */
public enum Section {
    /** Onyx vs the floor, LangChain4j and int8: throughput, startup, memory, parity. */
    EMBED,
    /** Single-text and multi-text call latency of Onyx, the floor and LangChain4j, rotated and each alone. */
    LATENCY,
    /** ONNX export, model load and inference of exported models, against the plain Java evaluators. */
    EXPORT,
    /** NEAT per-generation evaluation cost, native vs ONNX Runtime. */
    NEAT,
    /** The embedding server under concurrent single-text clients vs the library. */
    SERVER;

    /** The name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a command-line name.
     *
     * @throws OnyxException naming the value and the allowed names
     */
    public static Section parse(String name) {
        for (Section s : values()) {
            if (s.cliName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new OnyxException("unknown section '" + name + "'; allowed: "
                + Arrays.stream(values()).map(Section::cliName).collect(Collectors.joining(", ")));
    }
}
