package dev.onyx.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads peak resident memory (VmHWM) from Linux's {@code /proc}; stateless, so thread-safe. Other OSes report -1. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** This process's peak RSS in bytes, or -1 when {@code /proc} is unavailable. */
    public static long selfPeakRssBytes() {
        return peakRssBytes(ProcessHandle.current().pid());
    }

    /** A process's peak RSS in bytes, or -1 when it has gone or {@code /proc} is unavailable. */
    public static long peakRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1; // the process exited between listing and reading, or not Linux
        }
    }
}
