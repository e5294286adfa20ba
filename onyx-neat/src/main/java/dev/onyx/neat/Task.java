package dev.onyx.neat;

import java.util.Objects;

/** A problem that gives a network a fitness (higher is better); implementations are immutable and thread-safe. */
public sealed interface Task permits XorTask, CartPoleTask {
    /** The built-in task of this kind; {@code seed} draws whatever the task draws at random (cart-pole starts). */
    static Task create(TaskKind kind, long seed) {
        return switch (Objects.requireNonNull(kind, "kind")) {
            case XOR -> new XorTask();
            case CARTPOLE -> CartPoleTask.random(seed, CartPoleTask.DEFAULT_STARTS);
        };
    }

    TaskKind kind();

    /** Network inputs the task feeds. */
    int inputs();

    /** Network outputs the task reads. */
    int outputs();

    /** A config fitted to this task: its inputs, outputs and solve threshold. */
    NeatConfig defaultConfig();

    /** The fitness of {@code network}; deterministic for a given network. */
    double fitness(Network network);
}
