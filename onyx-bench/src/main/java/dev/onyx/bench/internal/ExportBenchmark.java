package dev.onyx.bench.internal;

import dev.onyx.bench.BenchReport.ExportTiming;
import dev.onyx.onnx.ExportedModel;
import dev.onyx.onnx.LayerStack;
import dev.onyx.onnx.LayerStackEvaluator;
import dev.onyx.onnx.LayerStackExporter;
import dev.onyx.onnx.NeatEvaluator;
import dev.onyx.onnx.NeatExporter;
import dev.onyx.onnx.NeatGenome;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times ONNX export, model load and inference of the exported models (ONNX Runtime with default options) against the
 * plain Java evaluators, for a 100-node NEAT genome and the example text classifier. Not thread-safe; one run each.
 */
public final class ExportBenchmark {
    /** Rows per batch in the batch inference steps. */
    public static final int BATCH = 64;

    static final String NEAT_MODEL = "neat-100";
    static final String CLASSIFIER_MODEL = "text-classifier";

    private final int calls;
    private final PrintStream log;
    private final List<ExportTiming> timings = new ArrayList<>();

    public ExportBenchmark(int calls, PrintStream log) {
        this.calls = calls;
        this.log = log;
    }

    /** Runs every step for both models. */
    public List<ExportTiming> run() throws IOException {
        neat(ExportInputs.hundredNodeGenome());
        classifier(ExportInputs.textClassifier());
        return List.copyOf(timings);
    }

    private void neat(NeatGenome genome) throws IOException {
        ExportedModel exported = NeatExporter.export(genome);
        long bytes = exported.bytes().length;
        time(NEAT_MODEL, "export", calls, bytes, () -> NeatExporter.export(genome));
        load(NEAT_MODEL, exported);
        SplittableRandom random = new SplittableRandom(7);
        double[][] doubles = new double[BATCH][genome.inputs()];
        float[] flat = new float[BATCH * genome.inputs()];
        for (int r = 0; r < BATCH; r++) {
            for (int c = 0; c < genome.inputs(); c++) {
                doubles[r][c] = random.nextDouble() * 2 - 1;
                flat[r * genome.inputs() + c] = (float) doubles[r][c];
            }
        }
        float[] one = java.util.Arrays.copyOf(flat, genome.inputs());
        onnx(
                NEAT_MODEL,
                exported,
                Tensor.ofFloats(one, 1, genome.inputs()),
                Tensor.ofFloats(flat, BATCH, genome.inputs()));
        NeatEvaluator java = NeatEvaluator.of(genome);
        time(NEAT_MODEL, "java single", calls, bytes, () -> java.activate(doubles[0]));
        time(NEAT_MODEL, "java batch " + BATCH, calls, bytes, () -> java.activate(doubles));
    }

    private void classifier(LayerStack stack) throws IOException {
        ExportedModel exported = LayerStackExporter.export(stack);
        long bytes = exported.bytes().length;
        time(CLASSIFIER_MODEL, "export", calls, bytes, () -> LayerStackExporter.export(stack));
        load(CLASSIFIER_MODEL, exported);
        int length = stack.spec().input().length();
        SplittableRandom random = new SplittableRandom(7);
        long[][] tokens = new long[BATCH][length];
        long[] flat = new long[BATCH * length];
        for (int r = 0; r < BATCH; r++) {
            for (int c = 0; c < length; c++) {
                tokens[r][c] = 1 + random.nextInt(999);
                flat[r * length + c] = tokens[r][c];
            }
        }
        long[] one = java.util.Arrays.copyOf(flat, length);
        onnx(CLASSIFIER_MODEL, exported, Tensor.ofLongs(one, 1, length), Tensor.ofLongs(flat, BATCH, length));
        LayerStackEvaluator java = LayerStackEvaluator.of(stack);
        long[][] single = {tokens[0]};
        time(CLASSIFIER_MODEL, "java single", calls, bytes, () -> java.evaluate(single));
        time(CLASSIFIER_MODEL, "java batch " + BATCH, calls, bytes, () -> java.evaluate(tokens));
    }

    /** Inference through ONNX Runtime (default options): one row, then a batch. */
    private void onnx(String name, ExportedModel exported, Tensor one, Tensor batch) throws IOException {
        long bytes = exported.bytes().length;
        try (OnnxModel model = OnnxModel.load(exported.bytes(), RuntimeOptions.defaults())) {
            String input = exported.inputNames().get(0);
            time(name, "onnx single", calls, bytes, () -> model.run(Map.of(input, one)));
            time(name, "onnx batch " + BATCH, calls, bytes, () -> model.run(Map.of(input, batch)));
        }
    }

    /** Session creation from the exported bytes, then close: a tenth of the calls, at least 5. */
    private void load(String model, ExportedModel exported) {
        time(model, "load", Math.max(5, calls / 10), exported.bytes().length, () -> {
            try (OnnxModel loaded = OnnxModel.load(exported.bytes(), RuntimeOptions.defaults())) {
                return loaded.inputs().size();
            } catch (dev.onyx.runtime.InvalidModelException e) {
                throw new dev.onyx.runtime.OnyxException("ONNX Runtime rejected the exported " + model, e);
            }
        });
    }

    /** A fifth of the calls untimed (at least 5), then {@code count} timed one by one. */
    private void time(String model, String step, int count, long bytes, Supplier<?> call) {
        for (int i = 0; i < Math.max(5, count / 5); i++) {
            call.get();
        }
        double[] millis = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            call.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        ExportTiming t = new ExportTiming(
                model,
                step,
                count,
                round(Stats.mean(millis)),
                round(Stats.percentile(millis, 95)),
                round(Stats.percentile(millis, 99)),
                bytes);
        log.printf(
                "%-16s %-16s mean %.4f ms, p95 %.4f ms, p99 %.4f ms%n",
                model, step, t.meanMillis(), t.p95Millis(), t.p99Millis());
        timings.add(t);
    }

    /** Four decimals: what the report shows, so that JSON and Markdown carry the same numbers. */
    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
