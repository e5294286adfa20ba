package dev.onyx.neat;

import dev.onyx.neat.internal.CostMeter;
import dev.onyx.neat.internal.OrtFloat32Plan;
import dev.onyx.neat.internal.Rows;
import dev.onyx.onnx.NeatEvaluator;
import dev.onyx.onnx.NeatGenome;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Runs genomes in plain Java, float32 in and out; thread-safe, and it holds nothing native, so {@link #close()} only
 * marks the end of use.
 *
 * <p>{@link NativePrecision#FLOAT32} (the default) computes as ONNX Runtime runs the exported graph, so native and ONNX
 * runs of one seed make the same selections; {@link NativePrecision#DOUBLE} is onyx-onnx's {@link NeatEvaluator}, whose
 * last-bit differences from float32 do flip the order of near-tied genomes (saturated sigmoids tie to within 1e-8).
 */
public final class NativeEvaluator implements Evaluator {
    private final NativePrecision precision;
    private final CostMeter meter = new CostMeter();

    private NativeEvaluator(NativePrecision precision) {
        this.precision = precision;
    }

    /** A {@link NativePrecision#FLOAT32} evaluator. */
    public static NativeEvaluator create() {
        return create(NativePrecision.FLOAT32);
    }

    public static NativeEvaluator create(NativePrecision precision) {
        return new NativeEvaluator(Objects.requireNonNull(precision, "precision"));
    }

    public NativePrecision precision() {
        return precision;
    }

    @Override
    public EvaluatorKind kind() {
        return EvaluatorKind.NATIVE;
    }

    @Override
    public Network compile(NeatGenome genome) {
        Objects.requireNonNull(genome, "genome");
        long start = System.nanoTime();
        int inputs = genome.inputs();
        int outputs = genome.outputs();
        UnaryOperator<float[]> body = switch (precision) {
            case FLOAT32 -> OrtFloat32Plan.of(genome)::activate;
            case DOUBLE -> {
                NeatEvaluator evaluator = NeatEvaluator.of(genome);
                yield rows -> activateInDouble(evaluator, rows, inputs, outputs);
            }
        };
        Network network = new NativeNetwork(inputs, outputs, body, meter);
        meter.setup(start);
        meter.network();
        return network;
    }

    @Override
    public EvaluationCost cost() {
        return meter.snapshot();
    }

    @Override
    public void close() {
        // nothing native to release
    }

    private static float[] activateInDouble(NeatEvaluator evaluator, float[] rows, int inputs, int outputs) {
        int count = rows.length / inputs;
        float[] out = new float[count * outputs];
        double[] row = new double[inputs];
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < inputs; i++) {
                row[i] = rows[r * inputs + i];
            }
            double[] values = evaluator.activate(row);
            for (int o = 0; o < outputs; o++) {
                out[r * outputs + o] = (float) values[o];
            }
        }
        return out;
    }

    private record NativeNetwork(int inputs, int outputs, UnaryOperator<float[]> body, CostMeter meter)
            implements Network {
        @Override
        public float[] activate(float[] rows) {
            Objects.requireNonNull(rows, "rows");
            long start = System.nanoTime();
            Rows.count(rows, inputs);
            float[] out = body.apply(rows);
            meter.run(start);
            return out;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
