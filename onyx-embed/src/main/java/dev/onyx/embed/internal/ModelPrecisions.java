package dev.onyx.embed.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.Int8Origin;
import dev.onyx.embed.ModelPrecision;
import dev.onyx.onnx.GraphCensus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a model file's precision from its graph ({@link GraphCensus}) and, for int8, who made it: Onyx when a {@code
 * quantization.json} of Onyx's format lies beside the model (or one folder up from {@code onnx/model.onnx}), someone
 * else otherwise; stateless.
 */
public final class ModelPrecisions {
    private static final Logger LOG = LoggerFactory.getLogger(ModelPrecisions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelPrecisions() {}

    /** A model's precision and, when int8, its origin. */
    public record Facts(ModelPrecision precision, Optional<Int8Origin> int8Origin) {}

    /** Reads the model's graph (a fraction of a second); a file it cannot read counts as fp32, logged. */
    public static Facts of(Path onnxFile) {
        GraphCensus census;
        try {
            census = GraphCensus.of(onnxFile);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "onyx: cannot read the graph of {} to tell its precision ({}); reporting fp32",
                    onnxFile,
                    e.getMessage());
            return new Facts(ModelPrecision.FP32, Optional.empty());
        }
        if (census.float16()) return new Facts(ModelPrecision.FP16, Optional.empty());
        if (!census.int8()) return new Facts(ModelPrecision.FP32, Optional.empty());
        return new Facts(
                ModelPrecision.INT8,
                Optional.of(onyxOrigin(onnxFile)
                        .orElseGet(() -> new Int8Origin(
                                Int8Origin.Maker.THIRD_PARTY,
                                "third-party int8 (" + String.join(", ", census.int8Operators()) + ")",
                                Optional.empty(),
                                OptionalInt.empty(),
                                List.of()))));
    }

    private static Optional<Int8Origin> onyxOrigin(Path onnxFile) {
        Path dir = onnxFile.toAbsolutePath().getParent();
        List<Path> candidates = new ArrayList<>(List.of(dir.resolve(Int8Folder.REPORT)));
        if (dir.getFileName() != null && dir.getFileName().toString().equals("onnx") && dir.getParent() != null) {
            candidates.add(dir.getParent().resolve(Int8Folder.REPORT));
        }
        for (Path report : candidates) {
            if (!Files.isRegularFile(report)) continue;
            try {
                JsonNode json = JSON.readTree(report.toFile());
                if (!json.path("format").asText().startsWith("onyx-int8")) continue;
                String method = json.path("method").asText("");
                OptionalInt texts = json.path("calibration_texts").isInt()
                        ? OptionalInt.of(json.path("calibration_texts").asInt())
                        : OptionalInt.empty();
                List<String> kept = new ArrayList<>();
                json.path("nodes_kept_fp32").forEach(n -> kept.add(n.asText()));
                String detail = "Onyx quantizer: static int8"
                        + (method.isEmpty() ? "" : ", " + method + " calibration")
                        + (texts.isPresent() ? " over " + texts.getAsInt() + " texts" : "")
                        + ", " + kept.size() + " nodes kept fp32";
                return Optional.of(new Int8Origin(
                        Int8Origin.Maker.ONYX,
                        detail,
                        method.isEmpty() ? Optional.empty() : Optional.of(method),
                        texts,
                        kept));
            } catch (IOException e) {
                LOG.debug("onyx: cannot read {}: {}", report, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
