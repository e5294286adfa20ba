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
     * Writes the int8 model to {@code out} (atomically; the input is only read). A site is quantized when its
     * activation has a range in {@code ranges} and its node is not in {@code keepFp32}.
     *
     * @throws IOException when a file cannot be read or written
     * @throws OnnxBuildException when {@code model} is not an ONNX model, or nothing would be quantized
     */
    public static Report quantize(
            Path model, Path out, Map<String, ActivationRange> ranges, Set<String> keepFp32, WeightRange weights)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(ranges, "ranges");
        Objects.requireNonNull(keepFp32, "keepFp32");
        Objects.requireNonNull(weights, "weights");
        Map<String, float[]> plain = new HashMap<>();
        ranges.forEach((name, range) -> plain.put(name, new float[] {range.min(), range.max()}));
        Int8Rewrite.Result result = Int8Rewrite.quantize(read(model), plain, keepFp32, weights.limit());
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
