package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NestedArraysTest {
    private static final TensorSpec BATCH_BY_TWO =
            new TensorSpec("x", ElementType.FLOAT, List.of(Dimension.dynamic("batch"), Dimension.fixed(2)));
    private static final TensorSpec TOKENS =
            new TensorSpec("ids", ElementType.INT64, List.of(Dimension.dynamic("batch"), Dimension.dynamic("seq")));

    @Test
    void shapeIsInferredFromTheNesting() {
        Tensor t = NestedArrays.toTensor(BATCH_BY_TWO, List.of(List.of(1, 2.5), List.of(3, 4)));
        assertThat(t.type()).isEqualTo(ElementType.FLOAT);
        assertThat(t.shape()).containsExactly(2, 2);
        assertThat(t.floats()).containsExactly(1f, 2.5f, 3f, 4f);
    }

    @Test
    void aGivenShapeReadsTheLeavesRowMajor() {
        Tensor t = NestedArrays.toTensor(TOKENS, List.of(1, 2, 3, 4, 5, 6), new long[] {2, 3});
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.longs()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void raggedArraysAreRejectedNamingTheInputAndDepth() {
        assertThatThrownBy(() -> NestedArrays.toTensor(TOKENS, List.of(List.of(1, 2, 3), List.of(4, 5))))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("input 'ids' is ragged at depth 1")
                .hasMessageContaining("a list of 2 where the first row has 3");
        assertThatThrownBy(() -> NestedArrays.toTensor(TOKENS, List.of(List.of(1, 2), 3)))
                .hasMessageContaining("ragged at depth 1: found a number");
        assertThatThrownBy(() -> NestedArrays.toTensor(TOKENS, List.of(1, List.of(2))))
                .hasMessageContaining("ragged at depth 1: found a list where the other rows hold numbers");
    }

    @Test
    void shapesThatContradictTheModelAreRejected() {
        assertThatThrownBy(() -> NestedArrays.toTensor(BATCH_BY_TWO, List.of(List.of(1, 2, 3))))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("input 'x' has shape [1, 3] but the model expects [batch, 2]");
        assertThatThrownBy(() -> NestedArrays.toTensor(BATCH_BY_TWO, List.of(1, 2, 3), new long[] {2, 2}))
                .hasMessageContaining("input 'x' has 3 values but shape [2, 2] needs 4");
    }

    @Test
    void integerInputsRejectFractionsOutOfRangeValuesAndText() {
        TensorSpec small = new TensorSpec("b", ElementType.INT32, List.of(Dimension.fixed(1)));
        assertThatThrownBy(() -> NestedArrays.toTensor(TOKENS, List.of(List.of(1.5))))
                .hasMessageContaining("value 1.5 at flat index 0 is not a int64");
        assertThatThrownBy(() -> NestedArrays.toTensor(small, List.of(3_000_000_000L)))
                .hasMessageContaining("is not a int32");
        assertThatThrownBy(() -> NestedArrays.toTensor(small, List.of("seven")))
                .hasMessageContaining("has the string \"seven\" at flat index 0; int32 inputs take numbers");
        assertThat(NestedArrays.toTensor(small, List.of(7.0)).ints()).containsExactly(7);
    }

    @Test
    void booleansAndBytesConvert() {
        TensorSpec flags = new TensorSpec("f", ElementType.BOOL, List.of(Dimension.fixed(3)));
        Tensor t = NestedArrays.toTensor(flags, List.of(true, false, 1));
        assertThat(NestedArrays.values(t)).containsExactly(true, false, true);
        TensorSpec pixels = new TensorSpec("p", ElementType.UINT8, List.of(Dimension.fixed(2)));
        assertThat(NestedArrays.values(NestedArrays.toTensor(pixels, List.of(0, 255))))
                .containsExactly(0, 255);
    }

    @Test
    void aBareNumberIsAScalar() {
        TensorSpec scalar = new TensorSpec("s", ElementType.DOUBLE, List.of());
        Tensor t = NestedArrays.toTensor(scalar, 2.5);
        assertThat(t.shape()).isEmpty();
        assertThat(t.doubles()).containsExactly(2.5);
    }

    @Test
    void feedsRejectUnknownAndMissingInputs() {
        List<TensorSpec> inputs = List.of(BATCH_BY_TWO, TOKENS);
        Map<String, Object> onlyX = Map.of("x", List.of(List.of(1, 2)));
        assertThatThrownBy(() -> NestedArrays.feeds(inputs, onlyX, Map.of()))
                .hasMessageContaining("missing inputs [ids:int64[batch, seq]]");
        Map<String, Object> typo = new LinkedHashMap<>(onlyX);
        typo.put("idz", List.of(List.of(1)));
        assertThatThrownBy(() -> NestedArrays.feeds(inputs, typo, Map.of()))
                .hasMessageContaining(
                        "unknown input 'idz'; the model's inputs are [x:float[batch, 2], ids:int64[batch, seq]]");
        assertThatThrownBy(() -> NestedArrays.feeds(inputs, onlyX, Map.of("ids", new long[] {1})))
                .hasMessageContaining("a shape is given for 'ids' but no value");
    }

    @Test
    void shapesParseFromCommaSeparatedSizes() {
        assertThat(NestedArrays.parseShape("2, 3")).containsExactly(2, 3);
        assertThat(NestedArrays.parseShape("")).isEmpty();
        assertThatThrownBy(() -> NestedArrays.parseShape("2,x"))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("shape '2,x' has 'x'; a shape is comma-separated sizes >= 0");
        assertThatThrownBy(() -> NestedArrays.parseShape("2,-1")).hasMessageContaining("has '-1'");
    }

    @Test
    void outputsAreDescribedWithShapeTypeAndFlatData() {
        Map<String, Object> tree = NestedArrays.describeOutputs(Map.of("y", Tensor.ofFloats(new float[] {1, 2}, 1, 2)));
        assertThat(tree)
                .isEqualTo(Map.of(
                        "outputs",
                        Map.of("y", Map.of("shape", List.of(1L, 2L), "type", "float", "data", List.of(1f, 2f)))));
    }
}
