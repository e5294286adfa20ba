package dev.onyx.embed;

import dev.onyx.embed.internal.Int8Folder;
import dev.onyx.onnx.CalibrationMethod;
import dev.onyx.onnx.Quantizer;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes a static int8 copy of an embedding model as a sentence-transformers folder that {@link ModelSource.Folder}
 * opens: the fp32 graph (fused when {@link dev.onyx.onnx.TransformerFusion} applies) is run over calibration texts to
 * fix every activation's int8 range once ({@link Quantizer}), so a text's vector never depends on its batch-mates; the
 * result must then agree with the fp32 model on held-out probe texts (cosine ≥ {@link Options#minCosine()}) or it is
 * not written. Stateless, so thread-safe; each call owns the models it opens.
 */
public final class Quantization {
    /** Probe-set cosine floor by default. */
    public static final double DEFAULT_MIN_COSINE = 0.99;

    private Quantization() {}

    /**
     * How to quantize.
     *
     * @param calibrationTexts the texts to calibrate with; empty = Onyx's bundled sample (400 sentences of
     *     public-domain State of the Union addresses, disjoint from the probe set, and 30 texts of other kinds: other
     *     scripts, code, numbers, repetitions)
     * @param samples how many calibration texts to use at most (the first ones)
     * @param minCosine the quality gate: every probe text's int8 vector must have at least this cosine with fp32
     * @param settings the quantizer's settings
     * @param adaptive when the gate fails, keep more nodes fp32 (lower {@link Quantizer.Settings#maxStep()} by 40 %,
     *     up to 3 times, re-using the calibration) before refusing
     */
    public record Options(
            Optional<List<String>> calibrationTexts,
            int samples,
            double minCosine,
            Quantizer.Settings settings,
            boolean adaptive) {
        public Options {
            Objects.requireNonNull(calibrationTexts, "calibrationTexts");
            calibrationTexts = calibrationTexts.map(List::copyOf);
            if (calibrationTexts.isPresent() && calibrationTexts.get().isEmpty()) {
                throw new OnyxException("the calibration texts are empty; give at least one text");
            }
            if (samples < 1) throw new OnyxException("samples must be at least 1, was " + samples);
            if (!(minCosine >= -1 && minCosine <= 1)) {
                throw new OnyxException("minCosine must be in [-1, 1], was " + minCosine);
            }
            Objects.requireNonNull(settings, "settings");
        }

        /** Bundled calibration texts (the first 200 of 430), gate 0.99, {@link Quantizer.Settings#defaults()}. */
        public static Options defaults() {
            return new Options(Optional.empty(), 200, DEFAULT_MIN_COSINE, Quantizer.Settings.defaults(), true);
        }

        public Options withCalibrationTexts(List<String> texts) {
            return new Options(Optional.of(texts), samples, minCosine, settings, adaptive);
        }

        public Options withSamples(int samples) {
            return new Options(calibrationTexts, samples, minCosine, settings, adaptive);
        }

        public Options withMinCosine(double minCosine) {
            return new Options(calibrationTexts, samples, minCosine, settings, adaptive);
        }

        public Options withSettings(Quantizer.Settings settings) {
            return new Options(calibrationTexts, samples, minCosine, settings, adaptive);
        }

        public Options withAdaptive(boolean adaptive) {
            return new Options(calibrationTexts, samples, minCosine, settings, adaptive);
        }

        public Options withMethod(CalibrationMethod method) {
            return withSettings(settings.withMethod(method));
        }
    }

    /**
     * What a quantization made.
     *
     * @param folder the written folder
     * @param calibrationTexts how many texts calibrated
     * @param calibrationSha256 SHA-256 of those texts joined by newlines
     * @param quantized nodes running int8
     * @param keptFp32 nodes left fp32, with why
     * @param probeTexts how many probe texts the gate embedded
     * @param worstCosine the lowest probe cosine int8 vs fp32
     * @param meanCosine the mean probe cosine
     * @param worstText the probe text with the lowest cosine (shortened)
     * @param millis how long it took
     */
    public record Result(
            Path folder,
            int calibrationTexts,
            String calibrationSha256,
            List<String> quantized,
            List<String> keptFp32,
            int probeTexts,
            double worstCosine,
            double meanCosine,
            String worstText,
            long millis) {
        public Result {
            Objects.requireNonNull(folder, "folder");
            quantized = List.copyOf(quantized);
            keptFp32 = List.copyOf(keptFp32);
        }
    }

    /** Thrown when the int8 model falls below the quality gate; nothing was written. */
    public static final class QualityGateException extends OnyxException {
        private final double worstCosine;

        public QualityGateException(String message, double worstCosine) {
            super(message);
            this.worstCosine = worstCosine;
        }

        /** The lowest probe cosine int8 vs fp32. */
        public double worstCosine() {
            return worstCosine;
        }
    }

    /**
     * Quantizes {@code source} into {@code output}, which must not exist or be an empty directory; it appears only
     * when the model passed the gate (written under a temporary name beside it, then renamed).
     *
     * @param progress receives one-line progress messages
     * @throws QualityGateException when a probe text's cosine is below {@link Options#minCosine()}
     * @throws IOException when the model cannot be read or the output cannot be written
     * @throws OnyxException when the output is not empty, or the model has nothing to quantize
     */
    public static Result quantize(ModelSource source, Path output, Options options, Consumer<String> progress)
            throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        if (source instanceof ModelSource.Quantized quantized) {
            throw new OnyxException("model " + quantized + " is already quantized; quantize " + quantized.fp32());
        }
        return Int8Folder.write(source, output, options, progress);
    }
}
