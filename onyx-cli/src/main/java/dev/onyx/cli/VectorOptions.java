package dev.onyx.cli;

import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Precision;
import picocli.CommandLine.Option;

/** Options for what each vector is: prompt, Matryoshka dimensions, output precision; filled by picocli on one thread. */
public final class VectorOptions {
    @Option(
            names = "--prompt-name",
            paramLabel = "NAME",
            description = "Prepend the model's prompt NAME to every text (e.g. query, passage); default: the model's"
                    + " default prompt, if it has one.")
    String promptName;

    @Option(
            names = "--prompt",
            paramLabel = "TEXT",
            description = "Prepend TEXT to every text (wins over --prompt-name; \"\" for none).")
    String prompt;

    @Option(
            names = "--dimensions",
            paramLabel = "N",
            description = "Keep the first N dimensions of each vector, then re-normalize (Matryoshka models).")
    Integer dimensions;

    @Option(
            names = "--precision",
            paramLabel = "P",
            defaultValue = "float32",
            converter = Converters.PrecisionConverter.class,
            description = "float32, int8, uint8, binary or ubinary (default: ${DEFAULT-VALUE}); int8/uint8 ranges come"
                    + " from all the inputs; .npy dtype float32 <f4, int8/binary |i1, uint8/ubinary |u1.")
    Precision precision;

    public EmbedRequest request() {
        EmbedRequest request = EmbedRequest.defaults();
        if (promptName != null) request = request.withPromptName(promptName);
        if (prompt != null) request = request.withPrompt(prompt);
        if (dimensions != null) request = request.withDimensions(dimensions);
        return request;
    }

    public Precision precision() {
        return precision;
    }

    /** The NumPy dtype of one value in this precision. */
    static String npyDescr(Precision precision) {
        return switch (precision) {
            case FLOAT32 -> "<f4";
            case INT8, BINARY -> "|i1";
            case UINT8, UBINARY -> "|u1";
        };
    }
}
