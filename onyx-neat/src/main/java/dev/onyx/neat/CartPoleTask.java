package dev.onyx.neat;

import dev.onyx.neat.internal.CartPole;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Single-pole balancing as in neat-python's example: standard cart-pole physics (g 9.8 m/s², cart 1.0 kg, pole 0.1
 * kg, half-length 0.5 m, force ±10 N, dt 0.01 s, leapfrog integration with Florian's equations); a run fails once
 * |x| ≥ 2.4 m or |θ| ≥ 45°. The network sees the state scaled to about [0, 1] and pushes right when its output is
 * above 0.5. Fitness is the seconds balanced (at most {@value #MAX_SECONDS}), the minimum over all starts, which are
 * simulated side by side as one batch per time step. Immutable and thread-safe.
 *
 * @param starts initial states, one run each
 */
public record CartPoleTask(List<CartPoleState> starts) implements Task {
    /** Starts drawn by {@link #random} for {@link Task#create}. */
    public static final int DEFAULT_STARTS = 5;
    /** Seconds a run lasts when the pole never falls; also the solve threshold. */
    public static final double MAX_SECONDS = 60.0;
    /** Simulation steps per second (dt = 0.01 s). */
    public static final int STEPS_PER_SECOND = 100;
    /** Steps of a full run. */
    public static final int MAX_STEPS = (int) (MAX_SECONDS * STEPS_PER_SECOND);

    public CartPoleTask {
        starts = List.copyOf(starts);
        if (starts.isEmpty()) {
            throw new NeatException("cart-pole needs at least one start state");
        }
    }

    /**
     * {@code count} starts drawn as neat-python draws them: x uniform in ±1.2 m, θ in ±22.5°, dx and dθ in ±1.
     */
    public static CartPoleTask random(long seed, int count) {
        if (count < 1) {
            throw new NeatException("cart-pole start count must be at least 1, got " + count);
        }
        Random random = new Random(seed);
        CartPoleState[] states = new CartPoleState[count];
        for (int i = 0; i < count; i++) {
            double x = uniform(random, 0.5 * CartPole.POSITION_LIMIT);
            double theta = uniform(random, 0.5 * CartPole.ANGLE_LIMIT);
            states[i] = new CartPoleState(x, uniform(random, 1.0), theta, uniform(random, 1.0));
        }
        return new CartPoleTask(List.of(states));
    }

    private static double uniform(Random random, double halfWidth) {
        return (random.nextDouble() * 2.0 - 1.0) * halfWidth;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.CARTPOLE;
    }

    @Override
    public int inputs() {
        return 4;
    }

    @Override
    public int outputs() {
        return 1;
    }

    /** The XOR defaults with 4 inputs and threshold {@value #MAX_SECONDS} s. */
    @Override
    public NeatConfig defaultConfig() {
        return NeatConfig.xor().toBuilder()
                .inputs(4)
                .fitnessThreshold(MAX_SECONDS)
                .build();
    }

    @Override
    public double fitness(Network network) {
        return Arrays.stream(balancedSteps(network)).min().orElseThrow() / (double) STEPS_PER_SECOND;
    }

    /** Steps each start stayed within the limits, in start order; at most {@link #MAX_STEPS}. */
    public int[] balancedSteps(Network network) {
        Objects.requireNonNull(network, "network");
        int n = starts.size();
        CartPole[] carts = new CartPole[n];
        for (int i = 0; i < n; i++) {
            carts[i] = new CartPole(starts.get(i));
        }
        int[] steps = new int[n];
        int[] live = new int[n];
        int liveCount = n;
        for (int i = 0; i < n; i++) {
            live[i] = i;
        }
        for (int step = 0; step < MAX_STEPS && liveCount > 0; step++) {
            float[] rows = new float[liveCount * 4];
            for (int r = 0; r < liveCount; r++) {
                carts[live[r]].scaledState(rows, r * 4);
            }
            float[] actions = network.activate(rows);
            int kept = 0;
            for (int r = 0; r < liveCount; r++) {
                CartPole cart = carts[live[r]];
                cart.step(actions[r] > 0.5f ? CartPole.FORCE : -CartPole.FORCE);
                if (!cart.failed()) {
                    steps[live[r]]++;
                    live[kept++] = live[r];
                }
            }
            liveCount = kept;
        }
        return steps;
    }
}
