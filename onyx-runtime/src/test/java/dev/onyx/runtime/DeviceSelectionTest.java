package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {
    private static final Set<Device> CPU_ONLY = EnumSet.of(Device.CPU);
    private static final Set<Device> WITH_CUDA = EnumSet.of(Device.CPU, Device.CUDA);

    @Test
    void autoPrefersCudaWhenOffered() {
        assertThat(DeviceSelection.choose(Device.AUTO, false, WITH_CUDA).selected())
                .isEqualTo(Device.CUDA);
    }

    @Test
    void autoPrefersDirectMlOverCoreMlAndCpu() {
        Set<Device> devices = EnumSet.of(Device.CPU, Device.COREML, Device.DIRECTML);
        assertThat(DeviceSelection.choose(Device.AUTO, true, devices).selected())
                .isEqualTo(Device.DIRECTML);
        assertThat(DeviceSelection.choose(Device.AUTO, true, EnumSet.of(Device.CPU, Device.COREML))
                        .selected())
                .isEqualTo(Device.COREML);
    }

    @Test
    void autoFallsBackToCpuSilentlyEvenWhenStrict() {
        DeviceSelection selection = DeviceSelection.choose(Device.AUTO, true, CPU_ONLY);
        assertThat(selection.selected()).isEqualTo(Device.CPU);
        assertThat(selection.fellBack()).isFalse();
    }

    @Test
    void explicitUnavailableDeviceFallsBackToCpuWithAReason() {
        DeviceSelection selection = DeviceSelection.choose(Device.COREML, false, CPU_ONLY);
        assertThat(selection.selected()).isEqualTo(Device.CPU);
        assertThat(selection.requested()).isEqualTo(Device.COREML);
        assertThat(selection.fallbackReason()).get().asString().contains("coreml is unavailable", "falling back");
    }

    @Test
    void explicitUnavailableDeviceInStrictModeIsAnError() {
        assertThatThrownBy(() -> DeviceSelection.choose(Device.DIRECTML, true, CPU_ONLY))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("directml")
                .hasMessageContaining("strict");
    }

    @Test
    void explicitAvailableDeviceIsUsed() {
        assertThat(DeviceSelection.choose(Device.CUDA, true, WITH_CUDA).selected())
                .isEqualTo(Device.CUDA);
        assertThat(DeviceSelection.choose(Device.CPU, true, CPU_ONLY).selected())
                .isEqualTo(Device.CPU);
    }

    @Test
    void parsingListsTheAllowedNames() {
        assertThat(Device.parse(" Cuda ")).isEqualTo(Device.CUDA);
        assertThatThrownBy(() -> Device.parse("tpu"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("unknown device 'tpu'")
                .hasMessageContaining("auto, cpu, cuda, coreml, directml");
    }
}
