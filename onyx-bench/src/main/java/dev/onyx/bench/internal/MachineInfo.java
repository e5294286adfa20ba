package dev.onyx.bench.internal;

import ai.onnxruntime.OrtEnvironment;
import dev.onyx.bench.BenchReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Describes the machine a benchmark runs on; stateless, so thread-safe. */
public final class MachineInfo {
    private MachineInfo() {}

    public static BenchReport.Machine describe() {
        return new BenchReport.Machine(
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                totalMemoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                OrtEnvironment.getEnvironment().getVersion());
    }

    private static String cpuModel() {
        String value = procField("/proc/cpuinfo", "model name");
        return value.isEmpty() ? System.getProperty("os.arch") : value;
    }

    private static long totalMemoryBytes() {
        String kb = procField("/proc/meminfo", "MemTotal");
        return kb.isEmpty() ? -1 : Long.parseLong(kb.split("\\s+")[0]) * 1024;
    }

    /** The value of the first "key: value" line, or empty when the file or key is missing (non-Linux). */
    private static String procField(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
