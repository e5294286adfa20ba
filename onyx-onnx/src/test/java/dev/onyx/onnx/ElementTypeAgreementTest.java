package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * onyx-onnx's {@link ElementType} (what the builder writes, with ONNX's type codes) and onyx-runtime's (what ONNX
 * Runtime reports) are two enums on purpose (see ARCHITECTURE.md): the builder must not pull in ONNX Runtime and the
 * runtime must not pull in protobuf. This test keeps them from drifting apart.
 */
class ElementTypeAgreementTest {

    @Test
    void everyBuilderTypeHasARuntimeTypeOfTheSameName() {
        List<String> runtimeNames = Arrays.stream(dev.onyx.runtime.ElementType.values())
                .map(Enum::name)
                .toList();

        assertThat(runtimeNames)
                .containsAll(Arrays.stream(ElementType.values()).map(Enum::name).toList());
    }

    @Test
    void onnxRuntimeReadsEachWrittenTypeAsTheRuntimeTypeOfTheSameName() throws Exception {
        OnnxGraphBuilder graph = OnnxGraphBuilder.create("types");
        for (ElementType type : ElementType.values()) {
            ValueRef in = graph.input("in_" + type, type, Dim.of("n"));
            ValueRef out = graph.node(Op.IDENTITY, "out_" + type, List.of(in));
            graph.output(out, type, Dim.of("n"));
        }

        try (OnnxModel model = OnnxModel.load(graph.toByteArray(), RuntimeOptions.defaults())) {
            Map<String, TensorSpec> inputs =
                    model.inputs().stream().collect(Collectors.toMap(TensorSpec::name, Function.identity()));
            for (ElementType type : ElementType.values()) {
                assertThat(inputs.get("in_" + type).type().name())
                        .as("ONNX code %d written for %s", type.onnxCode(), type)
                        .isEqualTo(type.name());
            }
        }
    }
}
