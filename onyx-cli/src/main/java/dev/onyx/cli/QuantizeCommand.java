package dev.onyx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Quantization;
import dev.onyx.onnx.CalibrationMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx quantize}: writes a static int8 copy of a model as a sentence-transformers folder; used by one thread. */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description = {
            "Quantize an embedding model to int8 with static (calibrated) activation scales, so a text's vector never"
                    + " depends on its batch-mates. Writes a sentence-transformers folder (model.onnx, tokenizer,"
                    + " configs, quantization.json) that --model DIR opens.",
            "Refuses (exit 1) when a held-out probe text's cosine to the fp32 vector falls below --min-cosine."
        })
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Catalog name, model folder or hub ORG/NAME.")
    String source;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New or empty output folder.")
    Path output;

    @Option(
            names = "--calibration",
            paramLabel = "FILE",
            description = "Calibration texts: one per line, or .jsonl with a \"text\" field (default: Onyx's bundled"
                    + " sample of 430 texts).")
    Path calibration;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "200",
            description = "Calibration texts to use at most (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--method",
            paramLabel = "M",
            defaultValue = "minmax",
            description = "Activation range: minmax, p99.999, p99.99 or p99.9 (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(
            names = "--min-cosine",
            paramLabel = "C",
            defaultValue = "0.99",
            description = "Quality gate on the probe texts (default: ${DEFAULT-VALUE}).")
    double minCosine;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        CalibrationMethod parsedMethod;
        try {
            parsedMethod = CalibrationMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--method: " + e.getMessage());
        }
        if (samples < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--samples must be at least 1, was " + samples);
        }
        if (!(minCosine >= -1 && minCosine <= 1)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--min-cosine must be in [-1, 1], was " + minCosine);
        }
        if (Files.isDirectory(output)) {
            try (Stream<Path> entries = Files.list(output)) {
                if (entries.findAny().isPresent()) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--output " + output + " is not empty; give a new or empty directory");
                }
            }
        } else if (Files.exists(output)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--output " + output + " exists and is not a directory");
        }
        Quantization.Options options = Quantization.Options.defaults()
                .withSamples(samples)
                .withMinCosine(minCosine)
                .withMethod(parsedMethod);
        if (calibration != null) options = options.withCalibrationTexts(readCalibration(calibration));
        ModelSource model = ModelSource.parse(source, Optional.empty(), Optional.empty());
        PrintWriter err = spec.commandLine().getErr();
        Quantization.Result result = Quantization.quantize(model, output, options, line -> {
            err.println(line);
            err.flush();
        });
        err.printf(
                "onyx: wrote %s in %.1f s: %d nodes int8, %d kept fp32; probe cosine vs fp32 worst %.5f, mean %.5f%n",
                result.folder(),
                result.millis() / 1000.0,
                result.quantized().size(),
                result.keptFp32().size(),
                result.worstCosine(),
                result.meanCosine());
        err.flush();
        spec.commandLine().getOut().println(result.folder());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private List<String> readCalibration(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--calibration " + file + " cannot be read: " + e.getMessage());
        }
        List<String> texts = new ArrayList<>();
        boolean jsonl = file.getFileName().toString().endsWith(".jsonl");
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            if (!jsonl) {
                texts.add(line);
                continue;
            }
            try {
                JsonNode text = json.readTree(line).get("text");
                if (text == null || !text.isTextual()) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "--calibration " + file + " line " + (i + 1) + " has no string field \"text\"");
                }
                texts.add(text.asText());
            } catch (IOException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--calibration " + file + " line " + (i + 1) + " is not JSON");
            }
        }
        if (texts.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--calibration " + file + " holds no texts; give one text per line");
        }
        return texts;
    }
}
