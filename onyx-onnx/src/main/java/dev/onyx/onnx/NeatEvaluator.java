package dev.onyx.onnx;

import dev.onyx.onnx.NeatGenome.ConnectionGene;
import dev.onyx.onnx.NeatGenome.NodeGene;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates a feed-forward {@link NeatGenome} in plain Java, double precision, with neat-python's {@code
 * FeedForwardNetwork} semantics; immutable and thread-safe.
 */
public final class NeatEvaluator {
    private final NeatGenome genome;
    private final FeedForwardPlan plan;
    private final Map<Integer, NodeGene> genes = new HashMap<>();

    private NeatEvaluator(NeatGenome genome) {
        this.genome = genome;
        this.plan = FeedForwardPlan.of(genome);
        genome.nodes().forEach(node -> genes.put(node.id(), node));
    }

    /**
     * Prepares {@code genome} for evaluation.
     *
     * @throws OnnxBuildException if the genome is recurrent
     */
    public static NeatEvaluator of(NeatGenome genome) {
        return new NeatEvaluator(Objects.requireNonNull(genome, "genome"));
    }

    /** Evaluates one input vector of length {@code genome.inputs()}; returns {@code genome.outputs()} values. */
    public double[] activate(double[] inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.length != genome.inputs()) {
            throw new OnnxBuildException(
                    "genome has " + genome.inputs() + " inputs, got a vector of length " + inputs.length);
        }
        Map<Integer, Double> values = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            values.put(-1 - i, inputs[i]);
        }
        for (List<Integer> layer : plan.layers()) {
            for (int id : layer) {
                NodeGene gene = genes.get(id);
                double sum = 0.0;
                for (ConnectionGene c : plan.incoming().get(id)) {
                    sum += values.get(c.in()) * c.weight();
                }
                values.put(id, gene.activation().apply(gene.bias() + gene.response() * sum));
            }
        }
        double[] out = new double[genome.outputs()];
        for (int o = 0; o < out.length; o++) {
            out[o] = values.get(o);
        }
        return out;
    }

    /** Evaluates each row of {@code batch}; see {@link #activate(double[])}. */
    public double[][] activate(double[][] batch) {
        Objects.requireNonNull(batch, "batch");
        double[][] out = new double[batch.length][];
        for (int row = 0; row < batch.length; row++) {
            out[row] = activate(batch[row]);
        }
        return out;
    }
}
