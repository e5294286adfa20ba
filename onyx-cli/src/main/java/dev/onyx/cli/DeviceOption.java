package dev.onyx.cli;

import dev.onyx.runtime.Device;
import picocli.CommandLine.Option;

/** The {@code --device} option of commands that run ONNX models directly; filled by picocli on one thread. */
final class DeviceOption {
    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "auto",
            converter = Converters.DeviceConverter.class,
            description = "auto, cpu, cuda, coreml or directml (default: ${DEFAULT-VALUE}); auto takes the first"
                    + " accelerator the ONNX Runtime build offers, else the cpu.")
    Device device;
}
