package dev.onyx.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Builds ONNX Runtime session options from {@link RuntimeOptions}; stateless, so thread-safe. */
final class SessionOptionsFactory {
    private SessionOptionsFactory() {}

    static OrtSession.SessionOptions create(RuntimeOptions options) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setIntraOpNumThreads(options.effectiveIntraOpThreads());
            so.setInterOpNumThreads(1);
            so.setSessionLogLevel(OrtLogging.level()); // also when another library created ORT's environment first
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(level(options.optimizationLevel()));
            so.setCPUArenaAllocator(options.memoryArena());
            // Weights allocated outside the arena: the arena then holds only activations, which cut the peak RSS of
            // `onyx embed` on 2,000 texts from 450 to 423 MB (KiB, as /usr/bin/time counts) in one measurement.
            so.addConfigEntry("session.use_device_allocator_for_initializers", "1");
            // With spinWait, ONNX Runtime's own behaviour: idle intra-op threads spin, within a run and for a while
            // after it. Not session.force_spinning_stop (park as soon as a run returns): on 2 cores that made
            // back-to-back one-text calls' p95 lower (4.0 vs 5.2 ms), but any call after 20 ms or more of idleness
            // woke parked threads of a spinning pool and took p50 7-9 ms instead of 3.0-3.6 (see RuntimeOptions).
            if (!options.spinWait()) {
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            if (options.optimizedModelCache().isPresent()) {
                so.setOptimizedModelFilePath(options.optimizedModelCache().get().toString());
            }
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    private static OrtSession.SessionOptions.OptLevel level(OptimizationLevel level) {
        return switch (level) {
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        };
    }

    /**
     * Registers the execution provider for the selected device. A provider that is compiled in but cannot start (for
     * example CUDA without its libraries) falls back to the CPU, or fails in strict mode.
     */
    static DeviceSelection addProvider(OrtSession.SessionOptions so, DeviceSelection selection, boolean strict) {
        try {
            switch (selection.selected()) {
                case CUDA -> so.addCUDA(0);
                case COREML -> so.addCoreML();
                case DIRECTML -> so.addDirectML(0);
                case CPU, AUTO -> {}
            }
            return selection;
        } catch (OrtException e) {
            String why = "its execution provider failed to start: " + e.getMessage();
            if (selection.requested() == Device.AUTO) {
                return new DeviceSelection(
                        Device.AUTO,
                        Device.CPU,
                        java.util.Optional.of(
                                "auto-selected device " + selection.selected().label() + " " + why + "; using cpu"));
            }
            return DeviceSelection.unavailable(selection.selected(), strict, why);
        }
    }
}
