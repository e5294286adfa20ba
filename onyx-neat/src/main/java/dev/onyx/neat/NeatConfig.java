package dev.onyx.neat;

import dev.onyx.onnx.NeatActivation;
import java.util.List;
import java.util.Objects;

/**
 * Every knob of a NEAT run, named after neat-python's config keys; an immutable record, safe to share.
 *
 * <p>{@link #xor()} holds neat-python's XOR example defaults; change values with {@link #toBuilder()}.
 *
 * @param inputs network inputs (ids {@code -1..-inputs})
 * @param outputs network outputs (ids {@code 0..outputs-1})
 * @param populationSize genomes per generation ({@code pop_size})
 * @param fitnessThreshold a run is solved once the best fitness of a generation reaches this
 * @param initialConnection how the first generation is wired
 * @param activationDefault the activation of new nodes
 * @param activationOptions activations a node may mutate to
 * @param activationMutateRate chance per node and generation of a new activation
 * @param bias node bias: initial distribution, bounds, mutation
 * @param response node response (multiplier of the summed input)
 * @param weight connection weight
 * @param enabledMutateRate chance per connection and generation of re-drawing its enabled flag
 * @param nodeAddProbability chance per child of splitting a connection with a new node
 * @param nodeDeleteProbability chance per child of deleting a hidden node
 * @param connectionAddProbability chance per child of adding a connection
 * @param connectionDeleteProbability chance per child of deleting a connection
 * @param compatibilityThreshold genomes closer than this to a species' representative may join it
 * @param compatibilityDisjointCoefficient distance per disjoint or excess gene
 * @param compatibilityWeightCoefficient multiplier of attribute differences of matching genes
 * @param maxStagnation generations without improvement after which a species is removed
 * @param speciesElitism this many best species are never removed for stagnation
 * @param elitism best genomes of each species copied unchanged into the next generation
 * @param survivalThreshold fraction of each species (best first) allowed to reproduce
 * @param minSpeciesSize the fewest genomes a surviving species is given
 */
public record NeatConfig(
        int inputs,
        int outputs,
        int populationSize,
        double fitnessThreshold,
        InitialConnection initialConnection,
        NeatActivation activationDefault,
        List<NeatActivation> activationOptions,
        double activationMutateRate,
        FloatAttribute bias,
        FloatAttribute response,
        FloatAttribute weight,
        double enabledMutateRate,
        double nodeAddProbability,
        double nodeDeleteProbability,
        double connectionAddProbability,
        double connectionDeleteProbability,
        double compatibilityThreshold,
        double compatibilityDisjointCoefficient,
        double compatibilityWeightCoefficient,
        int maxStagnation,
        int speciesElitism,
        int elitism,
        double survivalThreshold,
        int minSpeciesSize) {

    /**
     * A real-valued gene attribute as neat-python's {@code FloatAttribute}: drawn from a Gaussian, clamped to the
     * bounds, perturbed with chance {@code mutateRate} by Gaussian noise of standard deviation {@code mutatePower}, or
     * else replaced by a fresh draw with chance {@code replaceRate}.
     */
    public record FloatAttribute(
            double initMean,
            double initStdev,
            double minValue,
            double maxValue,
            double mutatePower,
            double mutateRate,
            double replaceRate) {
        public FloatAttribute {
            if (!(minValue <= maxValue)) {
                throw new NeatException(
                        "attribute bounds must satisfy min <= max, got [" + minValue + ", " + maxValue + "]");
            }
            requireNonNegative("initStdev", initStdev);
            requireNonNegative("mutatePower", mutatePower);
            requireProbability("mutateRate", mutateRate);
            requireProbability("replaceRate", replaceRate);
            if (mutateRate + replaceRate > 1.0) {
                throw new NeatException(
                        "mutateRate + replaceRate must be at most 1, got " + (mutateRate + replaceRate));
            }
        }
    }

    public NeatConfig {
        Objects.requireNonNull(initialConnection, "initialConnection");
        Objects.requireNonNull(activationDefault, "activationDefault");
        Objects.requireNonNull(bias, "bias");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(weight, "weight");
        activationOptions = List.copyOf(activationOptions);
        if (inputs < 1 || outputs < 1) {
            throw new NeatException("inputs and outputs must be at least 1, got " + inputs + " and " + outputs);
        }
        if (populationSize < 2) {
            throw new NeatException("populationSize must be at least 2, got " + populationSize);
        }
        if (activationOptions.isEmpty() || !activationOptions.contains(activationDefault)) {
            throw new NeatException(
                    "activationOptions " + activationOptions + " must contain activationDefault " + activationDefault);
        }
        requireProbability("activationMutateRate", activationMutateRate);
        requireProbability("enabledMutateRate", enabledMutateRate);
        requireProbability("nodeAddProbability", nodeAddProbability);
        requireProbability("nodeDeleteProbability", nodeDeleteProbability);
        requireProbability("connectionAddProbability", connectionAddProbability);
        requireProbability("connectionDeleteProbability", connectionDeleteProbability);
        requireNonNegative("compatibilityThreshold", compatibilityThreshold);
        requireNonNegative("compatibilityDisjointCoefficient", compatibilityDisjointCoefficient);
        requireNonNegative("compatibilityWeightCoefficient", compatibilityWeightCoefficient);
        if (maxStagnation < 1 || speciesElitism < 0 || elitism < 0 || minSpeciesSize < 1) {
            throw new NeatException("need maxStagnation >= 1, speciesElitism >= 0, elitism >= 0, minSpeciesSize >= 1;"
                    + " got " + maxStagnation + ", " + speciesElitism + ", " + elitism + ", " + minSpeciesSize);
        }
        if (!(survivalThreshold > 0.0 && survivalThreshold <= 1.0)) {
            throw new NeatException("survivalThreshold must be in (0, 1], got " + survivalThreshold);
        }
    }

    /** neat-python's XOR example ({@code config-feedforward}): 2 inputs, 1 output, population 150, threshold 3.9. */
    public static NeatConfig xor() {
        return new NeatConfig(
                2,
                1,
                150,
                3.9,
                InitialConnection.FULL_DIRECT,
                NeatActivation.SIGMOID,
                List.of(NeatActivation.SIGMOID),
                0.0,
                new FloatAttribute(0.0, 1.0, -30.0, 30.0, 0.5, 0.7, 0.1),
                new FloatAttribute(1.0, 0.0, -30.0, 30.0, 0.0, 0.0, 0.0),
                new FloatAttribute(0.0, 1.0, -30.0, 30.0, 0.5, 0.8, 0.1),
                0.01,
                0.2,
                0.2,
                0.5,
                0.5,
                3.0,
                1.0,
                0.5,
                20,
                2,
                2,
                0.2,
                2);
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new NeatException(name + " must be a probability in [0, 1], got " + value);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0.0) || Double.isInfinite(value)) {
            throw new NeatException(name + " must be a finite number >= 0, got " + value);
        }
    }

    /** Builds a {@link NeatConfig} from a starting config; not thread-safe, use from one thread. */
    public static final class Builder {
        private int inputs;
        private int outputs;
        private int populationSize;
        private double fitnessThreshold;
        private InitialConnection initialConnection;
        private NeatActivation activationDefault;
        private List<NeatActivation> activationOptions;
        private double activationMutateRate;
        private FloatAttribute bias;
        private FloatAttribute response;
        private FloatAttribute weight;
        private double enabledMutateRate;
        private double nodeAddProbability;
        private double nodeDeleteProbability;
        private double connectionAddProbability;
        private double connectionDeleteProbability;
        private double compatibilityThreshold;
        private double compatibilityDisjointCoefficient;
        private double compatibilityWeightCoefficient;
        private int maxStagnation;
        private int speciesElitism;
        private int elitism;
        private double survivalThreshold;
        private int minSpeciesSize;

        private Builder(NeatConfig c) {
            inputs = c.inputs;
            outputs = c.outputs;
            populationSize = c.populationSize;
            fitnessThreshold = c.fitnessThreshold;
            initialConnection = c.initialConnection;
            activationDefault = c.activationDefault;
            activationOptions = c.activationOptions;
            activationMutateRate = c.activationMutateRate;
            bias = c.bias;
            response = c.response;
            weight = c.weight;
            enabledMutateRate = c.enabledMutateRate;
            nodeAddProbability = c.nodeAddProbability;
            nodeDeleteProbability = c.nodeDeleteProbability;
            connectionAddProbability = c.connectionAddProbability;
            connectionDeleteProbability = c.connectionDeleteProbability;
            compatibilityThreshold = c.compatibilityThreshold;
            compatibilityDisjointCoefficient = c.compatibilityDisjointCoefficient;
            compatibilityWeightCoefficient = c.compatibilityWeightCoefficient;
            maxStagnation = c.maxStagnation;
            speciesElitism = c.speciesElitism;
            elitism = c.elitism;
            survivalThreshold = c.survivalThreshold;
            minSpeciesSize = c.minSpeciesSize;
        }

        public Builder inputs(int inputs) {
            this.inputs = inputs;
            return this;
        }

        public Builder outputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        public Builder populationSize(int populationSize) {
            this.populationSize = populationSize;
            return this;
        }

        public Builder fitnessThreshold(double fitnessThreshold) {
            this.fitnessThreshold = fitnessThreshold;
            return this;
        }

        public Builder initialConnection(InitialConnection initialConnection) {
            this.initialConnection = initialConnection;
            return this;
        }

        public Builder activationDefault(NeatActivation activationDefault) {
            this.activationDefault = activationDefault;
            return this;
        }

        public Builder activationOptions(List<NeatActivation> activationOptions) {
            this.activationOptions = activationOptions;
            return this;
        }

        public Builder activationMutateRate(double activationMutateRate) {
            this.activationMutateRate = activationMutateRate;
            return this;
        }

        public Builder bias(FloatAttribute bias) {
            this.bias = bias;
            return this;
        }

        public Builder response(FloatAttribute response) {
            this.response = response;
            return this;
        }

        public Builder weight(FloatAttribute weight) {
            this.weight = weight;
            return this;
        }

        public Builder enabledMutateRate(double enabledMutateRate) {
            this.enabledMutateRate = enabledMutateRate;
            return this;
        }

        public Builder nodeAddProbability(double nodeAddProbability) {
            this.nodeAddProbability = nodeAddProbability;
            return this;
        }

        public Builder nodeDeleteProbability(double nodeDeleteProbability) {
            this.nodeDeleteProbability = nodeDeleteProbability;
            return this;
        }

        public Builder connectionAddProbability(double connectionAddProbability) {
            this.connectionAddProbability = connectionAddProbability;
            return this;
        }

        public Builder connectionDeleteProbability(double connectionDeleteProbability) {
            this.connectionDeleteProbability = connectionDeleteProbability;
            return this;
        }

        public Builder compatibilityThreshold(double compatibilityThreshold) {
            this.compatibilityThreshold = compatibilityThreshold;
            return this;
        }

        public Builder compatibilityDisjointCoefficient(double compatibilityDisjointCoefficient) {
            this.compatibilityDisjointCoefficient = compatibilityDisjointCoefficient;
            return this;
        }

        public Builder compatibilityWeightCoefficient(double compatibilityWeightCoefficient) {
            this.compatibilityWeightCoefficient = compatibilityWeightCoefficient;
            return this;
        }

        public Builder maxStagnation(int maxStagnation) {
            this.maxStagnation = maxStagnation;
            return this;
        }

        public Builder speciesElitism(int speciesElitism) {
            this.speciesElitism = speciesElitism;
            return this;
        }

        public Builder elitism(int elitism) {
            this.elitism = elitism;
            return this;
        }

        public Builder survivalThreshold(double survivalThreshold) {
            this.survivalThreshold = survivalThreshold;
            return this;
        }

        public Builder minSpeciesSize(int minSpeciesSize) {
            this.minSpeciesSize = minSpeciesSize;
            return this;
        }

        /** The config; validated as the record's constructor validates. */
        public NeatConfig build() {
            return new NeatConfig(
                    inputs,
                    outputs,
                    populationSize,
                    fitnessThreshold,
                    initialConnection,
                    activationDefault,
                    activationOptions,
                    activationMutateRate,
                    bias,
                    response,
                    weight,
                    enabledMutateRate,
                    nodeAddProbability,
                    nodeDeleteProbability,
                    connectionAddProbability,
                    connectionDeleteProbability,
                    compatibilityThreshold,
                    compatibilityDisjointCoefficient,
                    compatibilityWeightCoefficient,
                    maxStagnation,
                    speciesElitism,
                    elitism,
                    survivalThreshold,
                    minSpeciesSize);
        }
    }
}
