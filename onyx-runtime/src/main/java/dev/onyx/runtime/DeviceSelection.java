package dev.onyx.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of choosing a device: what was asked for, what will be used, and why they differ; an immutable record.
 *
 * @param requested the device the caller asked for
 * @param selected the device that will be used
 * @param fallbackReason why {@code selected} differs from an explicit request, empty when it does not
 */
public record DeviceSelection(Device requested, Device selected, Optional<String> fallbackReason) {
    /** Preference order for {@link Device#AUTO}: accelerators first, the CPU last. */
    static final List<Device> AUTO_ORDER = List.of(Device.CUDA, Device.DIRECTML, Device.COREML, Device.CPU);

    public DeviceSelection {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(selected, "selected");
        Objects.requireNonNull(fallbackReason, "fallbackReason");
        if (selected == Device.AUTO) {
            throw new OnyxException("a selected device must be concrete, was AUTO");
        }
    }

    /**
     * Chooses a device from the ones the loaded ONNX Runtime build offers.
     *
     * @param requested what the caller asked for
     * @param strict whether an unavailable explicit request is an error rather than a CPU fallback
     * @param available the devices the runtime offers (the CPU is always offered)
     * @throws OnyxException when {@code strict} and the requested device is unavailable
     */
    public static DeviceSelection choose(Device requested, boolean strict, Set<Device> available) {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(available, "available");
        if (requested == Device.AUTO) {
            Device best = AUTO_ORDER.stream()
                    .filter(d -> d == Device.CPU || available.contains(d))
                    .findFirst()
                    .orElse(Device.CPU);
            return new DeviceSelection(requested, best, Optional.empty());
        }
        if (requested == Device.CPU || available.contains(requested)) {
            return new DeviceSelection(requested, requested, Optional.empty());
        }
        return unavailable(requested, strict, "this ONNX Runtime build offers only " + available);
    }

    /** The result when {@code requested} cannot be used: a CPU fallback, or an error in strict mode. */
    static DeviceSelection unavailable(Device requested, boolean strict, String why) {
        String message = "device " + requested.label() + " is unavailable: " + why
                + (requested == Device.CUDA
                        ? " (CUDA needs the onnxruntime_gpu build, `mvn -Pgpu`, plus CUDA 12 and cuDNN 9 libraries)"
                        : "");
        if (strict) {
            throw new OnyxException(message + "; strict device mode forbids falling back to cpu");
        }
        return new DeviceSelection(requested, Device.CPU, Optional.of(message + "; falling back to cpu"));
    }

    /** True when the requested device was explicit and could not be honoured. */
    public boolean fellBack() {
        return fallbackReason.isPresent();
    }
}
