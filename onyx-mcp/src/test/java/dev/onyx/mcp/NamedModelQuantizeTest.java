package dev.onyx.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import dev.onyx.runtime.OnyxException;
import org.junit.jupiter.api.Test;

/** An MCP model named {@code NAME=SOURCE?quantize=int8} is Onyx's int8 copy of SOURCE. */
class NamedModelQuantizeTest {
    @Test
    void aQuantizeSuffixMakesTheSourceQuantized() {
        NamedModel named = NamedModel.parse("fast=all-minilm-l6-v2?quantize=int8");
        assertThat(named.name()).isEqualTo("fast");
        assertThat(named.source())
                .isEqualTo(new ModelSource.Quantized(new ModelSource.Bundled("all-minilm-l6-v2"), ModelPrecision.INT8));
        assertThatThrownBy(() -> NamedModel.parse("fast=all-minilm-l6-v2?quantize=int4"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("unknown quantization 'int4'; allowed: int8");
    }
}
