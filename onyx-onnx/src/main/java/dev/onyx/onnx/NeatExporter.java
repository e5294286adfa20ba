package dev.onyx.onnx;

import dev.onyx.onnx.NeatGenome.ConnectionGene;
import dev.onyx.onnx.NeatGenome.NodeGene;
import dev.onyx.onnx.internal.NeatActivationGraph;
import dev.onyx.onnx.internal.ScalarConstants;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exports a feed-forward {@link NeatGenome} as an ONNX model, layer by layer; stateless and thread-safe.
 *
 * <p>The model has one input {@code [batch, inputs]} and one output {@code [batch, outputs]} (float32, dynamic
 * batch). Each layer is a MatMul + Add per activation group followed by the activation; neat-python's pre-scaling (5z,
 * 2.5z) is folded into weights and bias, which is exact in real arithmetic (it precedes the clamp).
 */
public final class NeatExporter {
    public static final String DEFAULT_INPUT = "input";
    public static final String DEFAULT_OUTPUT = "output";

    private NeatExporter() {}

    /** Exports with input {@value #DEFAULT_INPUT} and output {@value #DEFAULT_OUTPUT}. */
    public static ExportedModel export(NeatGenome genome) {
        return export(genome, DEFAULT_INPUT, DEFAULT_OUTPUT);
    }

    /**
     * Exports {@code genome}.
     *
     * @throws OnnxBuildException if the genome is recurrent or the names clash
     */
    public static ExportedModel export(NeatGenome genome, String inputName, String outputName) {
        Objects.requireNonNull(genome, "genome");
        FeedForwardPlan plan = FeedForwardPlan.of(genome);
        OnnxGraphBuilder g = OnnxGraphBuilder.create("neat_genome")
                .docString("NEAT genome exported by Onyx (neat-python FeedForwardNetwork semantics)")
                .metadata("onyx.exporter", "neat")
                .metadata("onyx.neat.inputs", Integer.toString(genome.inputs()))
                .metadata("onyx.neat.outputs", Integer.toString(genome.outputs()));
        ScalarConstants constants = new ScalarConstants(g);
        Dim batch = Dim.of("batch");
        ValueRef state = g.input(inputName, ElementType.FLOAT, batch, Dim.of(genome.inputs()));
        Map<Integer, Integer> column = new HashMap<>();
        for (int i = 0; i < genome.inputs(); i++) {
            column.put(-1 - i, i);
        }
        Map<Integer, NodeGene> genes = new HashMap<>();
        genome.nodes().forEach(n -> genes.put(n.id(), n));
        for (int l = 0; l < plan.layers().size(); l++) {
            List<ValueRef> parts = new ArrayList<>(List.of(state));
            int width = column.size();
            for (Map.Entry<NeatActivation, List<Integer>> group :
                    groups(plan.layers().get(l), genes).entrySet()) {
                String prefix = "layer" + l + "_" + group.getKey().neatName();
                ValueRef z = affine(prefix, state, width, group.getValue(), genes, plan, column, g);
                parts.add(NeatActivationGraph.emit(group.getKey(), z, g, constants));
                for (int id : group.getValue()) {
                    column.put(id, column.size());
                }
            }
            state = g.node(Op.CONCAT, "state" + l, parts, Attribute.of("axis", 1L));
        }
        long[] outputColumns = new long[genome.outputs()];
        for (int o = 0; o < outputColumns.length; o++) {
            outputColumns[o] = column.get(o);
        }
        ValueRef picked = g.node(
                Op.GATHER,
                outputName,
                List.of(state, g.initializer("output_columns", outputColumns, outputColumns.length)),
                Attribute.of("axis", 1L));
        g.output(picked, ElementType.FLOAT, batch, Dim.of(genome.outputs()));
        return g.build();
    }

    private static Map<NeatActivation, List<Integer>> groups(List<Integer> layer, Map<Integer, NodeGene> genes) {
        Map<NeatActivation, List<Integer>> groups = new EnumMap<>(NeatActivation.class);
        for (int id : layer) {
            groups.computeIfAbsent(genes.get(id).activation(), k -> new ArrayList<>())
                    .add(id);
        }
        return groups;
    }

    private static ValueRef affine(
            String prefix,
            ValueRef state,
            int width,
            List<Integer> ids,
            Map<Integer, NodeGene> genes,
            FeedForwardPlan plan,
            Map<Integer, Integer> column,
            OnnxGraphBuilder g) {
        int units = ids.size();
        double[] weights = new double[width * units];
        float[] bias = new float[units];
        for (int j = 0; j < units; j++) {
            NodeGene gene = genes.get(ids.get(j));
            double scale = gene.activation().preScale();
            bias[j] = (float) (scale * gene.bias());
            for (ConnectionGene c : plan.incoming().get(gene.id())) {
                weights[column.get(c.in()) * units + j] += scale * gene.response() * c.weight();
            }
        }
        float[] w = new float[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) weights[i];
        }
        ValueRef product = g.node(Op.MATMUL, List.of(state, g.initializer(prefix + "_w", w, width, units)));
        return g.node(Op.ADD, prefix + "_z", List.of(product, g.initializer(prefix + "_b", bias, units)));
    }
}
