package dev.onyx.runtime;

import ai.onnxruntime.OrtLoggingLevel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much ONNX Runtime's own native logger writes to stderr; stateless, so thread-safe. By default only fatal messages:
 * every error ONNX Runtime reports also reaches the caller as an exception with the same text, so its native log lines
 * (with ANSI colours, before the one-line error) only repeat it. System property {@code onyx.ort.logLevel} or
 * environment variable {@code ONYX_ORT_LOG_LEVEL} ({@code verbose}, {@code info}, {@code warning}, {@code error},
 * {@code fatal}) turns them back on, read when the process first loads a model.
 */
final class OrtLogging {
    private static final Logger LOG = LoggerFactory.getLogger(OrtLogging.class);
    static final String PROPERTY = "onyx.ort.logLevel";
    static final String ENV = "ONYX_ORT_LOG_LEVEL";

    private OrtLogging() {}

    static OrtLoggingLevel level() {
        String property = System.getProperty(PROPERTY);
        String value = property != null && !property.isBlank() ? property : System.getenv(ENV);
        return parse(value);
    }

    static OrtLoggingLevel parse(String value) {
        if (value == null || value.isBlank()) {
            return OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "verbose" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE;
            case "info" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO;
            case "warning", "warn" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;
            case "error" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            case "fatal" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            default -> {
                LOG.warn(
                        "onyx: ONNX Runtime log level '{}' ({} / {}) is unknown; allowed: verbose, info, warning,"
                                + " error, fatal; using fatal",
                        value,
                        PROPERTY,
                        ENV);
                yield OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            }
        };
    }
}
