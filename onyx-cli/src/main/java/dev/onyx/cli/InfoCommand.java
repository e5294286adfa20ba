package dev.onyx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Health;
import dev.onyx.embed.Int8Origin;
import dev.onyx.embed.ModelInfo;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnnxModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code onyx info}: the model's facts and a health probe, as JSON; used by one thread. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description =
                "Print model info (precision: fp32 or int8, and how an int8 model was made) and a health probe as JSON.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try (Embedder embedder = Embedder.open(model.source(), model.embedOptions())) {
            ModelInfo info = embedder.info();
            Health health = embedder.health();
            ObjectNode out = json.createObjectNode();
            out.put("name", info.name());
            out.put("source", info.source());
            out.put("dimension", info.dimension());
            out.put("max_tokens", info.maxTokens());
            out.put("pooling", info.pooling().label());
            out.put("normalize", info.normalize());
            out.put("requested_device", info.requestedDevice().label());
            out.put("device", info.device().label());
            out.putPOJO(
                    "available_devices",
                    OnnxModel.availableDevices().stream().map(Device::label).toList());
            out.put("model_sha256", info.modelSha256());
            out.put("graph", info.graph());
            out.put("runtime_file", info.runtimeFile());
            out.put("precision", info.precision().label());
            info.int8Origin().ifPresent(origin -> {
                ObjectNode int8 = out.putObject("quantization");
                int8.put("by", origin.maker() == Int8Origin.Maker.ONYX ? "onyx" : "third-party");
                int8.put("detail", origin.detail());
                origin.method().ifPresent(m -> int8.put("method", m));
                if (origin.calibrationTexts().isPresent()) {
                    int8.put("calibration_texts", origin.calibrationTexts().getAsInt());
                }
                if (origin.maker() == Int8Origin.Maker.ONYX) {
                    int8.putPOJO("nodes_kept_fp32", origin.keptFp32());
                }
            });
            ObjectNode probe = out.putObject("health");
            probe.put("healthy", health.healthy());
            probe.put("detail", health.detail());
            probe.put("latency_ms", health.latencyMillis());
            System.out.println(json.writeValueAsString(out));
            return health.healthy() ? 0 : Main.EXIT_FAILURE;
        }
    }
}
