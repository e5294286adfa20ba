package dev.onyx.neat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onyx.neat.internal.CartPole;
import java.util.List;
import org.junit.jupiter.api.Test;

class CartPoleTaskTest {
    /** A network that always gives {@code value}. */
    private record Constant(float value) implements Network {
        @Override
        public int inputs() {
            return 4;
        }

        @Override
        public int outputs() {
            return 1;
        }

        @Override
        public float[] activate(float[] rows) {
            float[] out = new float[rows.length / 4];
            java.util.Arrays.fill(out, value);
            return out;
        }

        @Override
        public void close() {}
    }

    @Test
    void oneStepFromRestFollowsFloriansEquations() {
        // By hand: θ'' = (0 + 1·(−10 − 0)/1.1) / (0.5·(4/3 − 0.1/1.1)) = −14.6341; x'' = (10 + 0.05·14.6341)/1.1
        CartPole cart = new CartPole(new CartPoleState(0, 0, 0, 0));
        cart.step(10.0);
        CartPoleState s = cart.state();
        assertThat(s.x()).isEqualTo(0.0);
        assertThat(s.theta()).isEqualTo(0.0);
        assertThat(s.dx()).isCloseTo(0.5 * 9.75609756 * 0.01, within(1e-9));
        assertThat(s.dtheta()).isCloseTo(0.5 * -14.6341463 * 0.01, within(1e-9));
    }

    @Test
    void pushingOneWayFailsQuicklyAndFitnessIsTheWorstStartInSeconds() {
        CartPoleTask task =
                new CartPoleTask(List.of(new CartPoleState(0, 0, 0.1, 0), new CartPoleState(0, 0, -0.1, 0)));
        int[] steps = task.balancedSteps(new Constant(1f));
        assertThat(steps[0]).isBetween(1, 300);
        assertThat(steps[1]).isBetween(1, 300);
        // pushing right makes a pole leaning left fall sooner
        assertThat(steps[1]).isLessThan(steps[0]);
        assertThat(task.fitness(new Constant(1f))).isEqualTo(steps[1] / 100.0);
    }

    @Test
    void randomStartsAreDrawnFromTheSeedWithinNeatPythonsRanges() {
        CartPoleTask a = CartPoleTask.random(5, 20);
        assertThat(a).isEqualTo(CartPoleTask.random(5, 20));
        assertThat(a.starts()).allSatisfy(s -> {
            assertThat(Math.abs(s.x())).isLessThan(1.2);
            assertThat(Math.abs(s.theta())).isLessThan(Math.toRadians(22.5));
            assertThat(Math.abs(s.dx())).isLessThan(1.0);
            assertThat(Math.abs(s.dtheta())).isLessThan(1.0);
        });
        assertThatThrownBy(() -> CartPoleTask.random(1, 0))
                .hasMessage("cart-pole start count must be at least 1, got 0");
    }
}
