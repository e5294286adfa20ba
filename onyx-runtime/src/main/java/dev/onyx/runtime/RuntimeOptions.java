package dev.onyx.runtime;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a model session is created; an immutable record, safe to share.
 *
 * @param device the device to run on; {@link Device#AUTO} picks the best available
 * @param strictDevice when true, an explicitly requested device that is unavailable is an error instead of a CPU fallback
 * @param intraOpThreads threads used inside one operator; 0 means one per available processor
 * @param optimizationLevel graph optimization level
 * @param memoryArena whether the CPU memory arena is used (faster repeated runs, higher peak RSS)
 * @param optimizedModelCache where to cache the optimized graph between runs, if anywhere
 * @param spinWait whether intra-op threads that wait for work spin instead of sleeping (ONNX Runtime's default): within
 *     a run, and for a while after it returns (tens of milliseconds), so that the next call finds them awake. Lowest
 *     latency for one caller: on 2 cores, one-text calls 20 or 50 ms apart took p50 3.0-3.6 ms with it, 4.9 ms
 *     without, and 7-9 ms when the threads were made to stop spinning as each run returned ({@code
 *     session.force_spinning_stop}, which only helped calls made back to back). The price is CPU burnt between calls;
 *     under many concurrent runs the spinning steals CPU from everything else in the process (a server's HTTP threads:
 *     turning it off raised server throughput from 0.66 to 0.76 of library throughput on 2 cores)
 */
public record RuntimeOptions(
        Device device,
        boolean strictDevice,
        int intraOpThreads,
        OptimizationLevel optimizationLevel,
        boolean memoryArena,
        Optional<Path> optimizedModelCache,
        boolean spinWait) {

    public RuntimeOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(optimizationLevel, "optimizationLevel");
        Objects.requireNonNull(optimizedModelCache, "optimizedModelCache");
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw new OnyxException(
                    "intraOpThreads must be between 0 (one per processor) and 1024, was " + intraOpThreads);
        }
    }

    /** AUTO device with CPU fallback, one thread per processor, optimization level ALL, arena on, no cache, spinning on. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Device.AUTO, false, 0, OptimizationLevel.ALL, true, Optional.empty(), true);
    }

    public RuntimeOptions withDevice(Device device) {
        return new RuntimeOptions(
                device, strictDevice, intraOpThreads, optimizationLevel, memoryArena, optimizedModelCache, spinWait);
    }

    public RuntimeOptions withStrictDevice(boolean strictDevice) {
        return new RuntimeOptions(
                device, strictDevice, intraOpThreads, optimizationLevel, memoryArena, optimizedModelCache, spinWait);
    }

    public RuntimeOptions withIntraOpThreads(int intraOpThreads) {
        return new RuntimeOptions(
                device, strictDevice, intraOpThreads, optimizationLevel, memoryArena, optimizedModelCache, spinWait);
    }

    public RuntimeOptions withOptimizationLevel(OptimizationLevel optimizationLevel) {
        return new RuntimeOptions(
                device, strictDevice, intraOpThreads, optimizationLevel, memoryArena, optimizedModelCache, spinWait);
    }

    public RuntimeOptions withMemoryArena(boolean memoryArena) {
        return new RuntimeOptions(
                device, strictDevice, intraOpThreads, optimizationLevel, memoryArena, optimizedModelCache, spinWait);
    }

    public RuntimeOptions withOptimizedModelCache(Path file) {
        return new RuntimeOptions(
                device, strictDevice, intraOpThreads, optimizationLevel, memoryArena, Optional.of(file), spinWait);
    }

    public RuntimeOptions withSpinWait(boolean spinWait) {
        return new RuntimeOptions(
                device, strictDevice, intraOpThreads, optimizationLevel, memoryArena, optimizedModelCache, spinWait);
    }

    /** The number of intra-op threads actually used: {@link #intraOpThreads()} or the processor count when 0. */
    public int effectiveIntraOpThreads() {
        return intraOpThreads == 0 ? Runtime.getRuntime().availableProcessors() : intraOpThreads;
    }
}
