package dev.onyx.cli;

import dev.onyx.embed.LongTextPolicy;
import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.Pooling;
import dev.onyx.embed.Precision;
import dev.onyx.neat.EvaluatorKind;
import dev.onyx.neat.TaskKind;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnyxException;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for Onyx's enums: strings are parsed once, at the CLI edge, and a bad value becomes a usage error
 * (exit 2) whose message is the library's own ("unknown device 'tpu'; allowed: ..."). Stateless, so thread-safe.
 */
final class Converters {
    private Converters() {}

    private abstract static class Parsing<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        Parsing(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (OnyxException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DeviceConverter extends Parsing<Device> {
        DeviceConverter() {
            super(Device::parse);
        }
    }

    static final class PoolingConverter extends Parsing<Pooling> {
        PoolingConverter() {
            super(Pooling::parse);
        }
    }

    static final class LongTextConverter extends Parsing<LongTextPolicy> {
        LongTextConverter() {
            super(LongTextPolicy::parse);
        }
    }

    static final class QuantizeConverter extends Parsing<ModelPrecision> {
        QuantizeConverter() {
            super(ModelPrecision::parseQuantization);
        }
    }

    static final class PrecisionConverter extends Parsing<Precision> {
        PrecisionConverter() {
            super(Precision::parse);
        }
    }

    static final class TaskConverter extends Parsing<TaskKind> {
        TaskConverter() {
            super(TaskKind::parse);
        }
    }

    static final class EvaluatorConverter extends Parsing<EvaluatorKind> {
        EvaluatorConverter() {
            super(EvaluatorKind::parse);
        }
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m} or a bare number of seconds, as milliseconds. */
    static final class DurationConverter extends Parsing<Long> {
        private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)?");

        DurationConverter() {
            super(value -> {
                java.util.regex.Matcher m = FORM.matcher(value.trim());
                if (!m.matches()) {
                    throw new OnyxException("'" + value + "' is not a duration; use a whole number with ms, s or m,"
                            + " such as 500ms, 30s or 2m (a bare number counts seconds)");
                }
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2) == null ? "s" : m.group(2)) {
                    case "ms" -> n;
                    case "m" -> n * 60_000;
                    default -> n * 1_000;
                };
            });
        }
    }
}
