package dev.onyx.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class NeatGenomeTest {
    private static String genome(String nodes, String connections) {
        return "{\"inputs\":2,\"outputs\":1,\"nodes\":[" + nodes + "],\"connections\":[" + connections + "]}";
    }

    private static final String OUT = "{\"id\":0,\"bias\":0.5,\"activation\":\"identity\"}";

    @Test
    void cyclicGenomeIsRejectedNamingTheCycle() {
        NeatGenome genome = NeatGenome.parse(
                genome(
                        OUT + ",{\"id\":7,\"bias\":0,\"activation\":\"relu\"}",
                        "{\"in\":-1,\"out\":7,\"weight\":1},{\"in\":7,\"out\":0,\"weight\":1},{\"in\":0,\"out\":7,\"weight\":1}"));

        assertThatThrownBy(() -> NeatExporter.export(genome))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("genome is recurrent")
                .hasMessageContaining("cycle 7 -> 0 -> 7");
        assertThatThrownBy(() -> NeatEvaluator.of(genome)).hasMessageContaining("recurrent");
    }

    @Test
    void aDisabledBackEdgeIsNotACycle() {
        NeatGenome genome = NeatGenome.parse(
                genome(OUT, "{\"in\":-1,\"out\":0,\"weight\":2},{\"in\":0,\"out\":0,\"weight\":1,\"enabled\":false}"));

        assertThat(NeatEvaluator.of(genome).activate(new double[] {1.5, 9})[0]).isCloseTo(3.5, offset(1e-12));
    }

    @Test
    void unknownActivationListsTheSupportedOnes() {
        assertThatThrownBy(() -> NeatGenome.parse(genome("{\"id\":0,\"bias\":0,\"activation\":\"swish\"}", "")))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("node 0: unknown activation 'swish'; supported: sigmoid, tanh, sin, gauss");
    }

    @Test
    void connectionToAMissingNodeIsRejected() {
        assertThatThrownBy(() -> NeatGenome.parse(genome(OUT, "{\"in\":-1,\"out\":9,\"weight\":1}")))
                .isInstanceOf(OnnxBuildException.class)
                .hasMessageContaining("connection -1 -> 9 refers to missing node 9");
        assertThatThrownBy(() -> NeatGenome.parse(genome(OUT, "{\"in\":-3,\"out\":0,\"weight\":1}")))
                .hasMessageContaining("missing node -3; nodes are inputs -1..-2 and [0]");
    }

    @Test
    void unsupportedAggregationMissingOutputAndDuplicatesAreRejected() {
        assertThatThrownBy(() -> NeatGenome.parse(
                        genome("{\"id\":0,\"bias\":0,\"activation\":\"relu\",\"aggregation\":\"product\"}", "")))
                .hasMessageContaining("aggregation 'product'; supported: sum");
        assertThatThrownBy(() -> NeatGenome.parse(genome("{\"id\":4,\"bias\":0,\"activation\":\"relu\"}", "")))
                .hasMessageContaining("output node 0 has no node gene");
        assertThatThrownBy(() -> NeatGenome.parse(
                        genome(OUT, "{\"in\":-1,\"out\":0,\"weight\":1},{\"in\":-1,\"out\":0,\"weight\":2}")))
                .hasMessageContaining("connection -1 -> 0 is given twice");
        assertThatThrownBy(() -> NeatGenome.parse("{\"inputs\":2}"))
                .hasMessageContaining("lacks required field 'outputs'");
    }

    @Test
    void nodesWithoutInputsGiveActivationOfBiasAndDanglingNodesDoNotMatter() {
        NeatGenome genome = NeatGenome.parse(genome(
                "{\"id\":0,\"bias\":0.2,\"activation\":\"sigmoid\"},{\"id\":3,\"bias\":1,\"activation\":\"exp\"}",
                "{\"in\":-1,\"out\":3,\"weight\":1}"));

        double out = NeatEvaluator.of(genome).activate(new double[] {0.3, 0.4})[0];

        assertThat(out).isCloseTo(1.0 / (1.0 + Math.exp(-1.0)), offset(1e-12));
    }

    @Test
    void activationsFollowNeatPythonScaling() {
        assertThat(NeatActivation.SIGMOID.apply(100)).isEqualTo(1.0 / (1.0 + Math.exp(-60)));
        assertThat(NeatActivation.TANH.apply(0.2)).isCloseTo(Math.tanh(0.5), offset(1e-15));
        assertThat(NeatActivation.SIN.apply(0.1)).isCloseTo(Math.sin(0.5), offset(1e-15));
        assertThat(NeatActivation.GAUSS.apply(10)).isCloseTo(Math.exp(-5 * 3.4 * 3.4), offset(1e-15));
        assertThat(NeatActivation.INV.apply(0)).isEqualTo(0.0);
        assertThat(NeatActivation.LOG.apply(-1)).isCloseTo(Math.log(1e-7), offset(1e-15));
        assertThat(NeatActivation.SOFTPLUS.apply(0)).isCloseTo(0.2 * Math.log(2), offset(1e-15));
        assertThat(NeatActivation.HAT.apply(0.25)).isEqualTo(0.75);
    }

    @Test
    void jsonRoundTripKeepsTheGenome() {
        NeatGenome genome = new RandomGenomes(3).next(6);

        assertThat(NeatGenome.parse(genome.toJson())).isEqualTo(genome);
    }
}
