package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The path where a device is offered but its execution provider fails to start: registering it throws, and Onyx
 * falls back to the CPU with a reason (which {@code OnnxModel} logs as a warning), or fails in strict mode. Reached
 * here by registering a provider this ONNX Runtime build does not contain (DirectML exists only in Windows builds;
 * CUDA only in the GPU jar, and then only with CUDA's libraries), which fails exactly as a provider that cannot start.
 */
class ProviderStartFailureTest {

    @Test
    void anExplicitDeviceWhoseProviderFailsToStartFallsBackToTheCpuWithTheReason() throws Exception {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            DeviceSelection result = SessionOptionsFactory.addProvider(
                    so, new DeviceSelection(Device.DIRECTML, Device.DIRECTML, Optional.empty()), false);

            assertThat(result.selected()).isEqualTo(Device.CPU);
            assertThat(result.requested()).isEqualTo(Device.DIRECTML);
            assertThat(result.fellBack()).isTrue();
            assertThat(result.fallbackReason().orElseThrow())
                    .startsWith("device directml is unavailable: its execution provider failed to start: ")
                    .endsWith("; falling back to cpu");
        }
    }

    @Test
    void inStrictModeAProviderThatFailsToStartIsAnError() throws Exception {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            DeviceSelection directMl = new DeviceSelection(Device.DIRECTML, Device.DIRECTML, Optional.empty());

            assertThatThrownBy(() -> SessionOptionsFactory.addProvider(so, directMl, true))
                    .isInstanceOf(OnyxException.class)
                    .hasMessageContaining("device directml is unavailable: its execution provider failed to start")
                    .hasMessageEndingWith("strict device mode forbids falling back to cpu");
        }
    }

    @Test
    void anAutoSelectedDeviceWhoseProviderFailsToStartFallsBackEvenWhenStrict() throws Exception {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            DeviceSelection result = SessionOptionsFactory.addProvider(
                    so, new DeviceSelection(Device.AUTO, Device.DIRECTML, Optional.empty()), true);

            assertThat(result.selected()).isEqualTo(Device.CPU);
            assertThat(result.fallbackReason().orElseThrow())
                    .startsWith("auto-selected device directml its execution provider failed to start")
                    .endsWith("; using cpu");
        }
    }

    @Test
    void aCpuSelectionRegistersNothingAndIsKept() throws Exception {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            DeviceSelection cpu = new DeviceSelection(Device.CPU, Device.CPU, Optional.empty());

            assertThat(SessionOptionsFactory.addProvider(so, cpu, true)).isEqualTo(cpu);
        }
    }
}
