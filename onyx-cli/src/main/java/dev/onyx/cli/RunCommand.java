package dev.onyx.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.runtime.NestedArrays;
import dev.onyx.runtime.OnnxModel;
import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import dev.onyx.runtime.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx run}: generic inference for any ONNX file, nested JSON arrays in, JSON out; used by one thread. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run any ONNX model: inputs as nested JSON arrays, outputs printed as JSON "
                + "{\"outputs\":{NAME:{\"shape\":[...],\"type\":...,\"data\":[...]}}} (data flattened row-major).")
final class RunCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path model;

    @Option(
            names = "--input",
            paramLabel = "NAME=JSON",
            description = "An input as a nested JSON array (or a bare number for a scalar), e.g. x=[[1,2],[3,4]]; "
                    + "repeat for each input. The element type is the model's.")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Option(
            names = "--shape",
            paramLabel = "NAME=D1,D2",
            description = "Shape of an input, when not the nesting of its array (values are read row-major).")
    Map<String, String> shapes = new LinkedHashMap<>();

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> nested = parseInputs();
        Map<String, long[]> parsedShapes = parseShapes();
        try (OnnxModel onnx = OnnxModel.load(model, RuntimeOptions.defaults().withDevice(device.device))) {
            Map<String, Tensor> feeds;
            try {
                feeds = NestedArrays.feeds(onnx.inputs(), nested, parsedShapes);
            } catch (OnyxException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            Map<String, Tensor> outputs = onnx.run(feeds);
            System.out.println(JSON.writeValueAsString(NestedArrays.describeOutputs(outputs)));
            return 0;
        }
    }

    private Map<String, Object> parseInputs() {
        Map<String, Object> nested = new LinkedHashMap<>();
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            try {
                nested.put(input.getKey(), JSON.readValue(input.getValue(), Object.class));
            } catch (JsonProcessingException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--input " + input.getKey() + " is not valid JSON (" + e.getOriginalMessage()
                                + "); give a nested array such as [[1,2],[3,4]]");
            }
        }
        return nested;
    }

    private Map<String, long[]> parseShapes() {
        Map<String, long[]> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            try {
                parsed.put(shape.getKey(), NestedArrays.parseShape(shape.getValue()));
            } catch (OnyxException e) {
                throw new ParameterException(spec.commandLine(), "--shape " + shape.getKey() + ": " + e.getMessage());
            }
        }
        return parsed;
    }
}
