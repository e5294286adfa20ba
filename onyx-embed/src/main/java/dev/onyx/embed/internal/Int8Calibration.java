package dev.onyx.embed.internal;

import dev.onyx.onnx.ActivationStatistics;
import dev.onyx.onnx.Quantizer;
import dev.onyx.runtime.InvalidModelException;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Runs a calibration copy of a model ({@link Quantizer#writeCalibrationCopy}) over token sequences, one sequence per
 * run so that no padding enters the statistics, and gathers one {@link ActivationStatistics} per activation. Stateless;
 * each call owns what it opens.
 */
public final class Int8Calibration {
    private Int8Calibration() {}

    /**
     * Statistics per activation name.
     *
     * @param progress called with the number of sequences done after each one
     */
    public static Map<String, ActivationStatistics> collect(
            java.nio.file.Path calibrationModel,
            List<Quantizer.Site> sites,
            List<long[]> sequences,
            RuntimeOptions runtime,
            IntConsumer progress)
            throws InvalidModelException {
        Set<String> activations = new LinkedHashSet<>();
        sites.forEach(s -> activations.add(s.activation()));
        Map<String, ActivationStatistics> stats = new LinkedHashMap<>();
        activations.forEach(a -> stats.put(a, new ActivationStatistics()));
        try (OnnxModel model = OnnxModel.load(calibrationModel, runtime)) {
            boolean tokenTypes = model.hasInput(InferenceEngine.TOKEN_TYPE_IDS);
            int done = 0;
            for (long[] ids : sequences) {
                Map<String, Tensor> feeds = new HashMap<>();
                long[] mask = new long[ids.length];
                java.util.Arrays.fill(mask, 1L);
                feeds.put(InferenceEngine.INPUT_IDS, Tensor.ofLongs(ids.clone(), 1, ids.length));
                feeds.put(InferenceEngine.ATTENTION_MASK, Tensor.ofLongs(mask, 1, ids.length));
                if (tokenTypes) {
                    feeds.put(InferenceEngine.TOKEN_TYPE_IDS, Tensor.ofLongs(new long[ids.length], 1, ids.length));
                }
                Map<String, Tensor> out = model.run(feeds, activations);
                for (Map.Entry<String, Tensor> e : out.entrySet()) {
                    long[] shape = e.getValue().shape();
                    stats.get(e.getKey()).add(e.getValue().floatBuffer(), (int) shape[shape.length - 1]);
                }
                progress.accept(++done);
            }
        }
        return stats;
    }
}
