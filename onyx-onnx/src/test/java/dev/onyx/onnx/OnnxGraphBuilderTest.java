package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphBuilderTest {
    @TempDir
    Path dir;

    private static OnnxGraphBuilder gemmGraph() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("gemm")
                .producer("onyx-test", "1.2.3")
                .docString("a Gemm")
                .metadata("provenance", "unit test");
        ValueRef x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(2));
        ValueRef w = g.initializer("w", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        ValueRef b = g.initializer("b", new float[] {0.5f, -0.5f, 1f}, 3);
        ValueRef y = g.node(Op.GEMM, "y", List.of(x, w, b), Attribute.of("alpha", 2.0f));
        g.output(y, ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        return g;
    }

    @Test
    void writesPinnedVersionsProducerMetadataAndSymbolicBatch() throws Exception {
        ModelProto model = ModelProto.parseFrom(gemmGraph().toByteArray());

        assertThat(model.getIrVersion()).isEqualTo(8);
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
        assertThat(model.getProducerName()).isEqualTo("onyx-test");
        assertThat(model.getProducerVersion()).isEqualTo("1.2.3");
        assertThat(model.getDocString()).isEqualTo("a Gemm");
        assertThat(model.getMetadataProps(0).getKey()).isEqualTo("provenance");
        assertThat(model.getGraph()
                        .getInput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(0)
                        .getDimParam())
                .isEqualTo("batch");
    }

    @Test
    void gemmModelRunsInOnnxRuntimeAndPassesTheChecker() throws Exception {
        Path file = dir.resolve("gemm.onnx");
        gemmGraph().writeTo(file);

        try (OnnxModel model = OnnxModel.load(file, RuntimeOptions.defaults())) {
            Tensor y = model.run(Map.of("x", Tensor.ofFloats(new float[] {1, 1, 0, 2}, 2, 2)))
                    .get("y");
            // y = 2 * x·w + b
            assertThat(y.floats()).containsExactly(10.5f, 13.5f, 19f, 16.5f, 19.5f, 25f);
        }
        OnnxChecker.assertValid(List.of(file));
    }

    @Test
    void theCheckerOracleReallyRejectsAnInvalidModel() throws Exception {
        Path file = dir.resolve("garbage.onnx");
        Files.write(file, new byte[] {8, 8, 0x3a, 5, 1, 2, 3});

        assertThat(OnnxChecker.verdict(file)).startsWith("FAIL");
    }

    @Test
    void configurableVersionsAreWrittenAndOutOfRangeOnesRejected() throws Exception {
        ModelProto model =
                ModelProto.parseFrom(gemmGraph().irVersion(7).opset(13).toByteArray());
        assertThat(model.getIrVersion()).isEqualTo(7);
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(13);

        assertThatThrownBy(() -> OnnxGraphBuilder.create("g").opset(18))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("opset must be 13 to 17")
                .hasMessageContaining("18");
    }

    @Test
    void graphWithoutOutputsIsRejected() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("empty");
        g.input("x", ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(g::build).isInstanceOf(OnnxBuildException.class).hasMessageContaining("has no outputs");
    }

    @Test
    void duplicateValueNamesAreRejected() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("dup");
        ValueRef x = g.input("x", ElementType.FLOAT, Dim.of(1));
        g.initializer("x", new float[] {1});
        g.output(x, ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(g::build)
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("value 'x' is defined twice: as graph input and as initializer");
    }

    @Test
    void duplicateNodeNamesAreRejected() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("dup");
        g.input("x", ElementType.FLOAT, Dim.of(1));
        g.node("n", Op.RELU, List.of("x"), List.of("a"), List.of());
        g.node("n", Op.RELU, List.of("a"), List.of("b"), List.of());
        g.output(new ValueRef("b"), ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(g::build)
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("duplicate node name 'n'");
    }

    @Test
    void reassigningAValueBreaksSingleAssignment() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("ssa");
        g.input("x", ElementType.FLOAT, Dim.of(1));
        g.node("first", Op.RELU, List.of("x"), List.of("a"), List.of());
        g.node("second", Op.NEG, List.of("x"), List.of("a"), List.of());
        g.output(new ValueRef("a"), ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(g::build)
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("value 'a' is defined twice")
                .hasMessageContaining("node 'second'");
    }

    @Test
    void readingAValueBeforeItIsProducedNamesTheNode() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("order");
        g.input("x", ElementType.FLOAT, Dim.of(1));
        g.node("late", Op.ADD, List.of("x", "b"), List.of("c"), List.of());
        g.node("early", Op.RELU, List.of("x"), List.of("b"), List.of());
        g.output(new ValueRef("c"), ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(g::build)
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("node 'late' (Add) reads 'b'")
                .hasMessageContaining("topological order");
    }

    @Test
    void anOutputNothingProducesIsRejected() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("missing");
        g.input("x", ElementType.FLOAT, Dim.of(1));
        g.output(new ValueRef("y"), ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(g::build)
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("graph output 'y' is not produced");
    }

    @Test
    void wrongAttributeTypeIsRejectedWhenTheNodeIsAdded() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("attr");
        ValueRef x = g.input("x", ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(() -> g.node(Op.SOFTMAX, "y", List.of(x), Attribute.of("axis", 1.0f)))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("node 'y_node' (Softmax) attribute 'axis' must be INT, got FLOAT");
    }

    @Test
    void unknownAttributeWrongArityAndMissingRequiredAttributeAreRejected() {
        OnnxGraphBuilder g = OnnxGraphBuilder.create("attr");
        ValueRef x = g.input("x", ElementType.FLOAT, Dim.of(1));

        assertThatThrownBy(() -> g.node(Op.RELU, "r", List.of(x), Attribute.of("alpha", 1.0f)))
                .hasMessageContaining("unknown attribute 'alpha'; allowed: none");
        assertThatThrownBy(() -> g.node(Op.MATMUL, "m", List.of(x)))
                .hasMessageContaining("(MatMul) has 1 inputs; MatMul takes exactly 2");
        assertThatThrownBy(() -> g.node(Op.CONCAT, "c", List.of(x, x)))
                .hasMessageContaining("(Concat) needs attribute 'axis' (INT)");
        assertThatThrownBy(() -> g.initializer("w", new float[] {1, 2, 3}, 2, 2))
                .hasMessageContaining("initializer 'w' has 3 values but shape [2, 2] needs 4");
    }
}
