package dev.onyx.cli;

import dev.onyx.embed.LongTextPolicy;
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
}
