package dev.onyx.neat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.onnx.NeatEvaluator;
import dev.onyx.onnx.NeatGenome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeatEvolutionTest {
    private final NativeEvaluator evaluator = NativeEvaluator.create();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void xorIsSolvedWithin300Generations(long seed) {
        Task xor = new XorTask();
        EvolutionResult result =
                Neat.create(xor.defaultConfig(), xor, evaluator, seed).run(300, g -> {});
        assertThat(result.solved()).isTrue();
        assertThat(result.bestFitness()).isGreaterThanOrEqualTo(XorTask.THRESHOLD);
        try (Network best = evaluator.compile(result.bestGenome())) {
            assertThat(xor.fitness(best)).isEqualTo(result.bestFitness());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void cartPoleIsSolvedWithin300Generations(long seed) {
        Task cartPole = Task.create(TaskKind.CARTPOLE, seed);
        EvolutionResult result =
                Neat.create(cartPole.defaultConfig(), cartPole, evaluator, seed).run(300, g -> {});
        assertThat(result.solved()).isTrue();
        assertThat(result.bestFitness()).isEqualTo(CartPoleTask.MAX_SECONDS);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Task xor = new XorTask();
        List<GenerationStats> first = new ArrayList<>();
        List<GenerationStats> second = new ArrayList<>();
        EvolutionResult a = Neat.create(xor.defaultConfig(), xor, evaluator, 7).run(40, first::add);
        EvolutionResult b = Neat.create(xor.defaultConfig(), xor, evaluator, 7).run(40, second::add);
        assertThat(second).isEqualTo(first);
        assertThat(b.bestGenome()).isEqualTo(a.bestGenome());
    }

    @Test
    void evolvedGenomesStayFeedForwardAndKeepThePopulationSize() {
        Task xor = new XorTask();
        NeatConfig config =
                xor.defaultConfig().toBuilder().nodeAddProbability(0.5).build();
        Neat neat = Neat.create(config, xor, evaluator, 11);
        for (int g = 0; g < 25 && !neat.step().solved(); g++) {
            List<NeatGenome> population = neat.population();
            assertThat(population.size()).isBetween(140, 160);
            population.forEach(NeatEvaluator::of); // throws on a cycle
        }
    }

    @Test
    void theFirstGenerationIsFullyDirectlyConnectedWithSharedInnovationNumbers() {
        Task xor = new XorTask();
        List<NeatGenome> population =
                Neat.create(xor.defaultConfig(), xor, evaluator, 1).population();
        assertThat(population).hasSize(150);
        for (NeatGenome genome : population) {
            assertThat(genome.nodes()).extracting(NeatGenome.NodeGene::id).containsExactly(0);
            assertThat(genome.connections())
                    .extracting(c -> c.in() + "->" + c.out() + "#" + c.innovation())
                    .containsExactly("-1->0#0", "-2->0#1");
        }
    }

    @Test
    void aConfigThatDoesNotFitTheTaskIsRejected() {
        Task cartPole = Task.create(TaskKind.CARTPOLE, 1);
        assertThatThrownBy(() -> Neat.create(NeatConfig.xor(), cartPole, evaluator, 1))
                .isInstanceOf(NeatException.class)
                .hasMessageContaining("config has 2 inputs and 1 outputs, but task cartpole needs 4 and 1");
    }

    @Test
    void runNeedsAtLeastOneGeneration() {
        Task xor = new XorTask();
        Neat neat = Neat.create(xor.defaultConfig(), xor, evaluator, 1);
        assertThatThrownBy(() -> neat.run(0, g -> {}))
                .isInstanceOf(NeatException.class)
                .hasMessageContaining("maxGenerations must be at least 1, got 0");
        assertThatThrownBy(neat::result).hasMessageContaining("no generation has been evaluated yet");
    }
}
