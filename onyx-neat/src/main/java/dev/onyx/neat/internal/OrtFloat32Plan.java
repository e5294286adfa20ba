package dev.onyx.neat.internal;

import dev.onyx.onnx.FeedForwardPlan;
import dev.onyx.onnx.NeatActivation;
import dev.onyx.onnx.NeatGenome;
import dev.onyx.onnx.NeatGenome.ConnectionGene;
import dev.onyx.onnx.NeatGenome.NodeGene;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A genome evaluated in float32 the way ONNX Runtime runs {@code NeatExporter}'s graph, so that both give the same
 * bits; immutable and thread-safe.
 *
 * <p>What it mirrors: the exporter's column order (inputs, then per layer one group per activation in enum order, ids
 * ascending), its folding of neat-python's pre-scale and the response into float weights and bias, MLAS's GEMM (one
 * fused multiply-add per column, in column order, from zero), the separate bias Add, the Clip, and MLAS's logistic
 * ({@code MlasLogisticConstants}: a rational approximation on [-18, 18] evaluated with fused multiply-adds, clamped to
 * [0, 1]). Layer order comes from onyx-onnx's {@link FeedForwardPlan}, the one the exporter uses.
 */
public final class OrtFloat32Plan {
    private final int inputs;
    private final NeatActivation[] activation;
    private final float[] bias;
    private final int[][] sources;
    private final float[][] weights;
    private final int[] outputColumns;

    private OrtFloat32Plan(NeatGenome genome) {
        FeedForwardPlan plan = FeedForwardPlan.of(genome);
        inputs = genome.inputs();
        Map<Integer, Integer> column = new HashMap<>();
        for (int i = 0; i < inputs; i++) {
            column.put(-1 - i, i);
        }
        List<NodeGene> ordered = new ArrayList<>();
        for (List<Integer> layer : plan.layers()) {
            Map<NeatActivation, List<NodeGene>> groups = new EnumMap<>(NeatActivation.class);
            for (int id : layer) {
                NodeGene gene = genome.node(id);
                groups.computeIfAbsent(gene.activation(), k -> new ArrayList<>())
                        .add(gene);
            }
            groups.values().forEach(ordered::addAll);
            ordered.subList(column.size() - inputs, ordered.size())
                    .forEach(gene -> column.put(gene.id(), column.size()));
        }
        int nodes = ordered.size();
        activation = new NeatActivation[nodes];
        bias = new float[nodes];
        sources = new int[nodes][];
        weights = new float[nodes][];
        for (int j = 0; j < nodes; j++) {
            NodeGene gene = ordered.get(j);
            double scale = gene.activation().preScale();
            activation[j] = gene.activation();
            bias[j] = (float) (scale * gene.bias());
            fold(gene, scale, plan.incoming().get(gene.id()), column, j);
        }
        outputColumns = new int[genome.outputs()];
        for (int o = 0; o < outputColumns.length; o++) {
            outputColumns[o] = column.get(o);
        }
    }

    private void fold(NodeGene gene, double scale, List<ConnectionGene> incoming, Map<Integer, Integer> column, int j) {
        List<int[]> byColumn = new ArrayList<>();
        for (ConnectionGene c : incoming) {
            byColumn.add(new int[] {column.get(c.in()), byColumn.size()});
        }
        byColumn.sort((a, b) -> Integer.compare(a[0], b[0]));
        sources[j] = new int[byColumn.size()];
        weights[j] = new float[byColumn.size()];
        for (int k = 0; k < byColumn.size(); k++) {
            sources[j][k] = byColumn.get(k)[0];
            weights[j][k] = (float) (0.0
                    + scale * gene.response() * incoming.get(byColumn.get(k)[1]).weight());
        }
    }

    /** The plan of {@code genome}; throws onyx-onnx's build exception if it is recurrent. */
    public static OrtFloat32Plan of(NeatGenome genome) {
        return new OrtFloat32Plan(genome);
    }

    /** Evaluates row-major {@code rows} into row-major outputs. */
    public float[] activate(float[] rows) {
        int count = rows.length / inputs;
        float[] out = new float[count * outputColumns.length];
        float[] state = new float[inputs + activation.length];
        for (int r = 0; r < count; r++) {
            System.arraycopy(rows, r * inputs, state, 0, inputs);
            for (int j = 0; j < activation.length; j++) {
                float sum = 0f;
                for (int k = 0; k < sources[j].length; k++) {
                    sum = Math.fma(state[sources[j][k]], weights[j][k], sum);
                }
                state[inputs + j] = apply(activation[j], sum + bias[j]);
            }
            for (int o = 0; o < outputColumns.length; o++) {
                out[r * outputColumns.length + o] = state[outputColumns[o]];
            }
        }
        return out;
    }

    private static float apply(NeatActivation activation, float z) {
        if (activation == NeatActivation.SIGMOID) {
            return mlasLogistic(Math.max(-60f, Math.min(60f, z)));
        }
        return (float) activation.apply(z / activation.preScale());
    }

    /** MLAS's {@code MlasLogisticKernel} with fused multiply-adds, as its FMA3 and NEON kernels compute it. */
    static float mlasLogistic(float input) {
        float x = Math.max(-18f, Math.min(18f, input));
        float x2 = x * x;
        float p = Math.fma(x2, 4.37031012579801e-11f, 1.15627324459942e-07f);
        p = Math.fma(p, x2, 6.08574864600143e-05f);
        p = Math.fma(p, x2, 8.51377133304701e-03f);
        p = Math.fma(p, x2, 2.48287947061529e-01f);
        p = p * x;
        float q = Math.fma(x2, 6.10247389755681e-13f, 5.76102136993427e-09f);
        q = Math.fma(q, x2, 6.29106785017040e-06f);
        q = Math.fma(q, x2, 1.70198817374094e-03f);
        q = Math.fma(q, x2, 1.16817656904453e-01f);
        q = Math.fma(q, x2, 9.93151921023180e-01f);
        return Math.max(0f, Math.min(1f, p / q + 0.5f));
    }
}
