package dev.onyx.neat;

import dev.onyx.neat.internal.CostMeter;
import dev.onyx.neat.internal.Rows;
import dev.onyx.onnx.NeatExporter;
import dev.onyx.onnx.NeatGenome;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.OptimizationLevel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs genomes in ONNX Runtime: each genome is exported with onyx-onnx's {@link NeatExporter} and loaded into its own
 * session; thread-safe. Every {@link Network} it makes owns one session and must be closed by its caller.
 */
public final class OnnxEvaluator implements Evaluator {
    private final RuntimeOptions options;
    private final CostMeter meter = new CostMeter();

    private OnnxEvaluator(RuntimeOptions options) {
        this.options = options;
    }

    /**
     * CPU, one intra-op thread, optimization level {@link OptimizationLevel#BASIC}: session creation dominates for
     * these tiny graphs (see docs/benchmarks.md).
     */
    public static OnnxEvaluator create() {
        return create(defaultOptions());
    }

    /** An evaluator whose sessions use {@code options}. */
    public static OnnxEvaluator create(RuntimeOptions options) {
        return new OnnxEvaluator(Objects.requireNonNull(options, "options"));
    }

    /** The options {@link #create()} uses. */
    public static RuntimeOptions defaultOptions() {
        return RuntimeOptions.defaults()
                .withDevice(Device.CPU)
                .withIntraOpThreads(1)
                .withOptimizationLevel(OptimizationLevel.BASIC);
    }

    public RuntimeOptions options() {
        return options;
    }

    @Override
    public EvaluatorKind kind() {
        return EvaluatorKind.ONNX;
    }

    @Override
    public Network compile(NeatGenome genome) {
        Objects.requireNonNull(genome, "genome");
        long start = System.nanoTime();
        byte[] bytes = NeatExporter.export(genome).bytes();
        meter.export(start);
        start = System.nanoTime();
        OnnxModel model;
        try {
            model = OnnxModel.load(bytes, options);
        } catch (InvalidModelException e) {
            throw new NeatException("ONNX Runtime rejected the exported genome: " + e.getMessage(), e);
        }
        meter.setup(start);
        meter.network();
        return new OnnxNetwork(genome.inputs(), genome.outputs(), model, meter);
    }

    @Override
    public EvaluationCost cost() {
        return meter.snapshot();
    }

    @Override
    public void close() {
        // sessions belong to the networks, which their callers close
    }

    private record OnnxNetwork(int inputs, int outputs, OnnxModel model, CostMeter meter) implements Network {
        private static final Set<String> OUTPUT = Set.of(NeatExporter.DEFAULT_OUTPUT);

        @Override
        public float[] activate(float[] rows) {
            Objects.requireNonNull(rows, "rows");
            long start = System.nanoTime();
            int count = Rows.count(rows, inputs);
            Tensor input = Tensor.ofFloats(rows, count, inputs);
            float[] out = model.run(Map.of(NeatExporter.DEFAULT_INPUT, input), OUTPUT)
                    .get(NeatExporter.DEFAULT_OUTPUT)
                    .floats();
            meter.run(start);
            return out;
        }

        @Override
        public void close() {
            long start = System.nanoTime();
            model.close();
            meter.setup(start);
        }
    }
}
