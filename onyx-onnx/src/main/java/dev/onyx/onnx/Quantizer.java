package dev.onyx.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.onyx.onnx.internal.Int8Rewrite;
import dev.onyx.onnx.internal.proto.OnnxProtos.ModelProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Static int8 quantization of an fp32 ONNX model, in Java on the model file: every {@code MatMul} by a constant 2-D
 * weight becomes ONNX Runtime's {@code com.microsoft.MatMulIntegerToFloat} and every fused {@code com.microsoft.Attention}
 * (see {@link TransformerFusion}) becomes {@code com.microsoft.QAttention}, with weights symmetric int8 per output
 * column and each activation quantized to uint8 by a {@code QuantizeLinear} whose scale was fixed at calibration — so
 * a text's vector never depends on what else is in its batch. Everything else (LayerNorm, softmax, GELU, attention's
 * QKᵀ) stays fp32. Calibration is the caller's: {@link #writeCalibrationCopy} writes a copy that also outputs every
 * activation to calibrate; run it over sample inputs, feed the values to one {@link ActivationStatistics} per
 * activation, and pass their {@link ActivationStatistics#range ranges} to {@link #quantize}. Stateless, so
 * thread-safe.
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * A node that can be quantized.
     *
     * @param node the node's name
     * @param op its operator ({@code MatMul} or {@code Attention})
     * @param activation the fp32 value it reads, which calibration measures
     */
    public record Site(String node, String op, String activation) {
        public Site {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(activation, "activation");
        }
    }

    /**
     * Default {@link Settings#maxStep()}: 0.05, i.e. activations spanning more than 12.75 stay fp32. In
     * all-MiniLM-L6-v2 that keeps the feed-forward inputs with BERT's outlier channels (spans 14-45) and quantizes the
     * attention and output projections (spans ≤ 16 after LayerNorm, ≤ 7 after attention).
     */
    public static final double DEFAULT_MAX_STEP = 0.05;

    /** The largest magnitude of a quantized weight. */
    public enum WeightRange {
        /** -127..127: full int8 precision; right for CPUs with VNNI/AMX int8 dot products (and ARM). */
        FULL(127),
        /**
         * -63..63 (7 bits), ONNX Runtime's {@code reduce_range}: on x86 CPUs without VNNI the u8·s8 kernel adds pairs
         * of products in 16 bits, which 255·127·2 can overflow; 255·63·2 cannot.
         */
        REDUCED(63);

        private final int limit;

        WeightRange(int limit) {
            this.limit = limit;
        }

        /** The largest magnitude. */
        public int limit() {
            return limit;
        }
    }

    /**
     * What a quantization did.
     *
     * @param quantized nodes now running int8
     * @param keptFp32 nodes left fp32 because the caller asked
     * @param declined nodes left fp32 because they could not be quantized, each with the reason
     */
    public record Report(List<String> quantized, List<String> keptFp32, List<String> declined) {
        public Report {
            quantized = List.copyOf(quantized);
            keptFp32 = List.copyOf(keptFp32);
            declined = List.copyOf(declined);
        }
    }

    /** The quantizable nodes of {@code model}, in graph order. */
    public static List<Site> sites(Path model) throws IOException {
        return Int8Rewrite.sites(read(model).getGraph()).stream()
                .map(s -> new Site(s.node(), s.op(), s.activation()))
                .toList();
    }

    /**
     * Writes a copy of {@code model} to {@code out} that also has every site's activation as a graph output (fp32,
     * named as in the graph), and returns the sites.
     *
     * @throws IOException when a file cannot be read or written
     * @throws OnnxBuildException when {@code model} is not an ONNX model, or has nothing to quantize
     */
    public static List<Site> writeCalibrationCopy(Path model, Path out) throws IOException {
        Objects.requireNonNull(out, "out");
        ModelProto proto = read(model);
        List<Site> sites = Int8Rewrite.sites(proto.getGraph()).stream()
                .map(s -> new Site(s.node(), s.op(), s.activation()))
                .toList();
        if (sites.isEmpty()) {
            throw new OnnxBuildException("cannot quantize " + model
                    + ": it has no MatMul by a constant 2-D fp32 weight and no fused Attention");
        }
        write(Int8Rewrite.withActivationOutputs(proto), out);
        return sites;
    }

    /**
     * How to quantize.
     *
     * @param method how each activation's range is read from its statistics (without smoothing)
     * @param smoothing SmoothQuant's alpha in [0, 1]: 0 = off; else each activation with per-channel statistics is
     *     divided per channel by max|x_k|^alpha / max|W_k|^(1-alpha) before quantization (the weights' rows multiplied
     *     by the same), and quantized to its exact smoothed range
     * @param keepFp32 names of nodes to leave fp32
     * @param weights the int8 weight range
     * @param maxStep largest uint8 step ((max - min) / 255 of the calibrated range) an activation may have; nodes
     *     reading a wider activation stay fp32 (their outliers would leave too coarse a grid for the common values);
     *     {@code Double.POSITIVE_INFINITY} quantizes every site
     */
    public record Settings(
            CalibrationMethod method, double smoothing, Set<String> keepFp32, WeightRange weights, double maxStep) {
        public Settings {
            if (!(maxStep > 0)) throw new IllegalArgumentException("maxStep must be > 0, was " + maxStep);
            Objects.requireNonNull(method, "method");
            keepFp32 = Set.copyOf(keepFp32);
            Objects.requireNonNull(weights, "weights");
            if (!(smoothing >= 0 && smoothing <= 1)) {
                throw new IllegalArgumentException("smoothing must be in [0, 1], was " + smoothing);
            }
        }

        /**
         * Onyx's default, chosen by measurement against fp32 on the reference sentences (see the module README):
         * min-max ranges, no smoothing, {@link WeightRange#REDUCED 7-bit weights}, activations with a step over {@link
         * #DEFAULT_MAX_STEP} kept fp32. Full 8-bit weights saturated ONNX Runtime's AVX2 u8·s8 kernel on
         * bge-small-en-v1.5 (worst row cosine 0.969 vs 0.998 with 7-bit weights, 2026-12-03); a model file may move to
         * such a CPU, so the default is the one that is safe on every x86 CPU.
         */
        public static Settings defaults() {
            return new Settings(CalibrationMethod.MIN_MAX, 0, Set.of(), WeightRange.REDUCED, DEFAULT_MAX_STEP);
        }

        public Settings withMethod(CalibrationMethod method) {
            return new Settings(method, smoothing, keepFp32, weights, maxStep);
        }

        public Settings withSmoothing(double smoothing) {
            return new Settings(method, smoothing, keepFp32, weights, maxStep);
        }

        public Settings withKeepFp32(Set<String> keepFp32) {
            return new Settings(method, smoothing, keepFp32, weights, maxStep);
        }

        public Settings withMaxStep(double maxStep) {
            return new Settings(method, smoothing, keepFp32, weights, maxStep);
        }

        public Settings withWeights(WeightRange weights) {
            return new Settings(method, smoothing, keepFp32, weights, maxStep);
        }
    }

    /**
     * Writes the int8 model to {@code out} (atomically; the input is only read). A site is quantized when its
     * activation has statistics in {@code statistics} and its node is not kept fp32.
     *
     * @throws IOException when a file cannot be read or written
     * @throws OnnxBuildException when {@code model} is not an ONNX model, or nothing would be quantized
     */
    public static Report quantize(Path model, Path out, Map<String, ActivationStatistics> statistics, Settings settings)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(settings, "settings");
        Map<String, float[]> ranges = new HashMap<>();
        Map<String, float[][]> channels = new HashMap<>();
        statistics.forEach((name, stats) -> {
            if (stats.count() == 0) return;
            ActivationRange range = stats.range(settings.method());
            ranges.put(name, new float[] {range.min(), range.max()});
            if (stats.channelMin().length > 0)
                channels.put(name, new float[][] {stats.channelMin(), stats.channelMax()});
        });
        ModelProto proto = read(model);
        Set<String> keep = new java.util.LinkedHashSet<>(settings.keepFp32());
        for (Int8Rewrite.Site site : Int8Rewrite.sites(proto.getGraph())) {
            float[] range = ranges.get(site.activation());
            if (range != null && (range[1] - range[0]) / 255.0 > settings.maxStep()) keep.add(site.node());
        }
        Int8Rewrite.Result result = Int8Rewrite.quantize(
                proto,
                ranges,
                channels,
                settings.smoothing(),
                keep,
                settings.weights().limit());
        if (result.quantized().isEmpty()) {
            throw new OnnxBuildException("nothing in " + model + " was quantized (kept fp32: " + result.keptFp32()
                    + ", declined: " + result.declined() + ")");
        }
        write(result.model(), out);
        return new Report(result.quantized(), result.keptFp32(), result.declined());
    }

    private static void write(ModelProto proto, Path out) throws IOException {
        Path tmp = out.toAbsolutePath()
                .resolveSibling(
                        out.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            try (OutputStream stream = new BufferedOutputStream(
                    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 20)) {
                proto.writeTo(stream);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ModelProto read(Path model) throws IOException {
        Objects.requireNonNull(model, "model");
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new OnnxBuildException("cannot quantize " + model + ": models over 2 GiB keep their weights in"
                        + " external data, which the quantizer does not handle");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            CodedInputStream input = CodedInputStream.newInstance(mapped);
            input.enableAliasing(true);
            try {
                return ModelProto.parseFrom(input);
            } catch (InvalidProtocolBufferException e) {
                throw new OnnxBuildException(
                        "cannot quantize " + model + ": not an ONNX model (" + e.getMessage() + ")");
            }
        }
    }
}
