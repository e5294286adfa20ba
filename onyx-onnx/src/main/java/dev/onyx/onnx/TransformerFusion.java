package dev.onyx.onnx;

import com.google.protobuf.CodedInputStream;
import dev.onyx.onnx.internal.BertFusion;
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
import java.util.Objects;

/**
 * Rewrites a BERT-style encoder exported by PyTorch into ONNX Runtime's fused transformer operators
 * ({@code com.microsoft.Attention} per self-attention block, {@code com.microsoft.SkipLayerNormalization} per
 * bias + residual + LayerNorm): the same math in fewer, faster kernels on ONNX Runtime's CPU execution provider. It is
 * what ONNX Runtime's Python transformer optimizer does offline, done in Java on the model file. Patterns that do not
 * match exactly are left as they are; when nothing matches, nothing is written. Stateless, so thread-safe.
 */
public final class TransformerFusion {
    private TransformerFusion() {}

    /**
     * What a fusion did.
     *
     * @param attentionBlocks self-attention subgraphs replaced by one {@code Attention} each
     * @param skipLayerNorms bias + residual + LayerNorm groups replaced by one {@code SkipLayerNormalization} each
     * @param reason why nothing was fused; empty when something was
     */
    public record Report(int attentionBlocks, int skipLayerNorms, String reason) {
        public Report {
            Objects.requireNonNull(reason, "reason");
        }

        /** True when a fused model was written. */
        public boolean fused() {
            return attentionBlocks > 0;
        }
    }

    /**
     * Reads {@code model} and, when its encoder blocks match, writes the fused model to {@code out} (replacing it
     * atomically; nothing is written otherwise). The input file is only read.
     *
     * @throws IOException when the model cannot be read or {@code out} cannot be written
     * @throws OnnxBuildException when the file is not an ONNX model
     */
    public static Report fuse(Path model, Path out) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(out, "out");
        BertFusion.Result result = BertFusion.fuse(read(model));
        if (result.model() == null) {
            return new Report(0, 0, result.reason());
        }
        Path tmp = out.resolveSibling(
                out.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            try (OutputStream stream = new BufferedOutputStream(
                    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 20)) {
                result.model().writeTo(stream);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Report(result.attentionBlocks(), result.skipLayerNorms(), "");
    }

    /** Parses without copying tensor bytes to the heap: the protobuf byte strings alias the mapped file. */
    private static ModelProto read(Path model) throws IOException {
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new OnnxBuildException("cannot fuse " + model + ": models over 2 GiB keep their weights in"
                        + " external data, which fusion does not handle");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            CodedInputStream input = CodedInputStream.newInstance(mapped);
            input.enableAliasing(true);
            try {
                return ModelProto.parseFrom(input);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new OnnxBuildException("cannot fuse " + model + ": not an ONNX model (" + e.getMessage() + ")");
            }
        }
    }
}
