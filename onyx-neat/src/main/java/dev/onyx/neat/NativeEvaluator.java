package dev.onyx.neat;

import dev.onyx.neat.internal.CostMeter;
import dev.onyx.neat.internal.Rows;
import dev.onyx.onnx.NeatEvaluator;
import dev.onyx.onnx.NeatGenome;
import java.util.Objects;

/**
 * Runs genomes with onyx-onnx's plain-Java {@link NeatEvaluator} (double arithmetic, float32 in and out); thread-safe,
 * and it holds nothing native, so {@link #close()} only marks the end of use.
 */
public final class NativeEvaluator implements Evaluator {
    private final CostMeter meter = new CostMeter();

    private NativeEvaluator() {}

    public static NativeEvaluator create() {
        return new NativeEvaluator();
    }

    @Override
    public EvaluatorKind kind() {
        return EvaluatorKind.NATIVE;
    }

    @Override
    public Network compile(NeatGenome genome) {
        Objects.requireNonNull(genome, "genome");
        long start = System.nanoTime();
        NeatEvaluator evaluator = NeatEvaluator.of(genome);
        meter.setup(start);
        meter.network();
        return new NativeNetwork(genome.inputs(), genome.outputs(), evaluator, meter);
    }

    @Override
    public EvaluationCost cost() {
        return meter.snapshot();
    }

    @Override
    public void close() {
        // nothing native to release
    }

    private record NativeNetwork(int inputs, int outputs, NeatEvaluator evaluator, CostMeter meter) implements Network {
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
