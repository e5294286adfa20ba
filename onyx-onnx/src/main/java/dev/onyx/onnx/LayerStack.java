package dev.onyx.onnx;

import dev.onyx.onnx.LayerStackSpec.InputType;
import dev.onyx.onnx.internal.SafetensorsReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A layer stack with its weights loaded and its shapes checked; immutable and thread-safe.
 *
 * <p>Seeded weights: embeddings uniform in [-0.05, 0.05] (Keras' default), dense kernels Glorot-uniform, dense biases
 * uniform in [-0.1, 0.1] (Keras starts at zero; non-zero biases make exported biases observable), drawn in layer order
 * from one {@link SplittableRandom} seeded with the spec's seed. Weights are float32 values.
 */
public final class LayerStack {

    /** One layer with the shape it sees and its weights ({@code null} where it has none); package-internal. */
    record Step(Layer layer, int rankIn, int featuresIn, boolean maskedIn, int featuresOut, float[] w, float[] b) {}

    private final LayerStackSpec spec;
    private final List<Step> steps;
    private final int outputRank;
    private final int outputFeatures;

    private LayerStack(LayerStackSpec spec, List<Step> steps) {
        this.spec = spec;
        this.steps = List.copyOf(steps);
        Step last = steps.get(steps.size() - 1);
        this.outputFeatures = last.featuresOut();
        this.outputRank = last.layer() instanceof Layer.GlobalAveragePooling1D
                ? 2
                : last.layer() instanceof Layer.Embedding ? 3 : last.rankIn();
    }

    /**
     * Loads the weights {@code spec} names and checks that the layers fit together.
     *
     * @throws IOException if the safetensors file cannot be read
     * @throws OnnxBuildException if layers do not fit or a tensor is missing or has the wrong shape
     */
    public static LayerStack load(LayerStackSpec spec) throws IOException {
        Objects.requireNonNull(spec, "spec");
        WeightSource weights = spec.weights() instanceof LayerStackSpec.Safetensors s
                ? new WeightSource(null, SafetensorsReader.open(s.file()))
                : new WeightSource(new SplittableRandom(((LayerStackSpec.Seeded) spec.weights()).seed()), null);
        boolean integerInput = spec.input().type() != InputType.FLOAT;
        int rank = 2;
        int features = spec.input().length();
        boolean masked = false;
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            Layer layer = spec.layers().get(i);
            String where = "layer " + i + " (" + layer.getClass().getSimpleName() + ")";
            if (integerInput != (layer instanceof Layer.Embedding) && i == 0) {
                throw new OnnxBuildException(where + ": an " + spec.input().type()
                        + " input needs an embedding as the first layer and only there; a float32 input takes none");
            }
            Step step = step(layer, where, i, rank, features, masked, weights);
            steps.add(step);
            if (layer instanceof Layer.Embedding e) {
                rank = 3;
                masked = e.maskZero();
            } else if (layer instanceof Layer.GlobalAveragePooling1D) {
                rank = 2;
                masked = false;
            }
            features = step.featuresOut();
        }
        return new LayerStack(spec, steps);
    }

    private record WeightSource(SplittableRandom random, SafetensorsReader file) {
        float[] get(java.util.Optional<String> name, String where, String what, double limit, long... shape) {
            if (file != null) {
                String tensor = name.orElseThrow(() -> new OnnxBuildException(
                        where + " needs the name of its '" + what + "' tensor in the safetensors file"));
                return file.floats(tensor, shape);
            }
            int count = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = (float) (limit * (2 * random.nextDouble() - 1));
            }
            return values;
        }
    }

    private static Step step(
            Layer layer, String where, int index, int rank, int features, boolean masked, WeightSource weights) {
        if (layer instanceof Layer.Embedding e) {
            if (index != 0) {
                throw new OnnxBuildException(where + ": an embedding must be the first layer");
            }
            float[] table = weights.get(e.embeddingsTensor(), where, "embeddings", 0.05, e.vocab(), e.dim());
            return new Step(layer, rank, features, false, e.dim(), table, null);
        }
        if (layer instanceof Layer.Dense d) {
            double glorot = Math.sqrt(6.0 / (features + d.units()));
            float[] kernel = weights.get(d.kernelTensor(), where, "kernel", glorot, features, d.units());
            float[] bias = weights.get(d.biasTensor(), where, "bias", 0.1, d.units());
            return new Step(layer, rank, features, masked, d.units(), kernel, bias);
        }
        if (layer instanceof Layer.GlobalAveragePooling1D && rank != 3) {
            throw new OnnxBuildException(where + ": global_average_pooling_1d needs a sequence [batch, length,"
                    + " features], i.e. an embedding before it, and gets [batch, features]");
        }
        return new Step(layer, rank, features, masked, features, null, null);
    }

    public LayerStackSpec spec() {
        return spec;
    }

    /** Rank of the output: 2 ({@code [batch, features]}) or 3 ({@code [batch, length, features]}). */
    public int outputRank() {
        return outputRank;
    }

    /** Size of the output's last axis. */
    public int outputFeatures() {
        return outputFeatures;
    }

    List<Step> steps() {
        return steps;
    }
}
