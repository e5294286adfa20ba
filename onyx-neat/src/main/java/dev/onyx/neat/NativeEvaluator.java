package dev.onyx.neat;

import dev.onyx.neat.internal.CostMeter;
import dev.onyx.neat.internal.OrtFloat32Plan;
import dev.onyx.neat.internal.Rows;
import dev.onyx.onnx.NeatEvaluator;
import dev.onyx.onnx.NeatGenome;
import java.util.Objects;

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
        Network network = switch (precision) {
            case FLOAT32 -> new Float32Network(genome.inputs(), genome.outputs(), OrtFloat32Plan.of(genome), meter);
            case DOUBLE -> new DoubleNetwork(genome.inputs(), genome.outputs(), NeatEvaluator.of(genome), meter);
        };
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

    private record Float32Network(int inputs, int outputs, OrtFloat32Plan plan, CostMeter meter) implements Network {
        @Override
        public float[] activate(float[] rows) {
            Objects.requireNonNull(rows, "rows");
            long start = System.nanoTime();
            Rows.count(rows, inputs);
            float[] out = plan.activate(rows);
            meter.run(start);
            return out;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    private record DoubleNetwork(int inputs, int outputs, NeatEvaluator evaluator, CostMeter meter) implements Network {
        @Override
        public float[] activate(float[] rows) {
            Objects.requireNonNull(rows, "rows");
            long start = System.nanoTime();
            int count = Rows.count(rows, inputs);
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
            meter.run(start);
            return out;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
