package dev.onyx.neat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.onnx.NeatActivation;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeatConfigTest {
    @Test
    void xorDefaultsAreNeatPythonsXorExample() {
        NeatConfig c = NeatConfig.xor();
        assertThat(c.populationSize()).isEqualTo(150);
        assertThat(c.compatibilityThreshold()).isEqualTo(3.0);
        assertThat(c.elitism()).isEqualTo(2);
        assertThat(c.survivalThreshold()).isEqualTo(0.2);
        assertThat(c.maxStagnation()).isEqualTo(20);
        assertThat(c.speciesElitism()).isEqualTo(2);
        assertThat(c.initialConnection()).isEqualTo(InitialConnection.FULL_DIRECT);
        assertThat(c.fitnessThreshold()).isEqualTo(3.9);
        assertThat(c.connectionAddProbability()).isEqualTo(0.5);
        assertThat(c.connectionDeleteProbability()).isEqualTo(0.5);
        assertThat(c.weight()).isEqualTo(new NeatConfig.FloatAttribute(0.0, 1.0, -30.0, 30.0, 0.5, 0.8, 0.1));
        assertThat(new XorTask().defaultConfig())
                .isEqualTo(c.toBuilder().connectionDeleteProbability(0.2).build());
    }

    @Test
    void theBuilderOverridesOneValueAndKeepsTheRest() {
        NeatConfig c =
                NeatConfig.xor().toBuilder().populationSize(40).elitism(1).build();
        assertThat(c.populationSize()).isEqualTo(40);
        assertThat(c.elitism()).isEqualTo(1);
        assertThat(c.toBuilder().populationSize(150).elitism(2).build()).isEqualTo(NeatConfig.xor());
    }

    @Test
    void badValuesAreRejectedNamingTheValueAndWhatIsAllowed() {
        NeatConfig.Builder b = NeatConfig.xor().toBuilder();
        assertThatThrownBy(() -> b.populationSize(1).build())
                .isInstanceOf(NeatException.class)
                .hasMessage("populationSize must be at least 2, got 1");
        assertThatThrownBy(() ->
                        NeatConfig.xor().toBuilder().nodeAddProbability(1.5).build())
                .hasMessage("nodeAddProbability must be a probability in [0, 1], got 1.5");
        assertThatThrownBy(
                        () -> NeatConfig.xor().toBuilder().survivalThreshold(0).build())
                .hasMessage("survivalThreshold must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> NeatConfig.xor().toBuilder()
                        .activationOptions(List.of(NeatActivation.TANH))
                        .build())
                .hasMessage("activationOptions [TANH] must contain activationDefault SIGMOID");
        assertThatThrownBy(() -> new NeatConfig.FloatAttribute(0, 1, 5, -5, 0.5, 0.5, 0.1))
                .hasMessage("attribute bounds must satisfy min <= max, got [5.0, -5.0]");
    }

    @Test
    void namesParseCaseInsensitivelyAndUnknownNamesListTheAllowedOnes() {
        assertThat(EvaluatorKind.parse("ONNX")).isEqualTo(EvaluatorKind.ONNX);
        assertThat(TaskKind.parse("cartpole")).isEqualTo(TaskKind.CARTPOLE);
        assertThat(InitialConnection.parse("full_direct")).isEqualTo(InitialConnection.FULL_DIRECT);
        assertThat(NativePrecision.parse("double")).isEqualTo(NativePrecision.DOUBLE);
        assertThatThrownBy(() -> EvaluatorKind.parse("gpu"))
                .isInstanceOf(NeatException.class)
                .hasMessage("unknown evaluator 'gpu'; allowed: native, onnx");
        assertThatThrownBy(() -> TaskKind.parse("mountaincar"))
                .hasMessage("unknown task 'mountaincar'; allowed: xor, cartpole");
    }

    @Test
    void aNetworkRejectsABatchOfPartialRows() {
        try (NativeEvaluator evaluator = NativeEvaluator.create();
                Network network = evaluator.compile(Neat.create(NeatConfig.xor(), new XorTask(), evaluator, 1)
                        .population()
                        .get(0))) {
            assertThatThrownBy(() -> network.activate(new float[3]))
                    .isInstanceOf(NeatException.class)
                    .hasMessage("a batch must hold whole rows of 2 inputs, got 3 values");
        }
    }
}
