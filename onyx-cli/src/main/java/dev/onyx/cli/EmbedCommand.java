package dev.onyx.cli;

import dev.onyx.embed.EmbedRequest;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.Precision;
import dev.onyx.embed.QuantizedEmbeddings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx embed}: texts in, vectors out (JSON lines or .npy), in input order; used by one thread. */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = "Embed texts with a sentence-transformers model (default: the bundled all-MiniLM-L6-v2).")
final class EmbedCommand implements Callable<Integer> {
    /** Texts are embedded in chunks this big, so the progress bar moves and memory stays bounded. */
    static final int CHUNK = 1024;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    VectorOptions vectorOptions = new VectorOptions();

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to embed (or use --input).")
    List<String> texts = new ArrayList<>();

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "Read texts from FILE: .jsonl (one object per line, text in --field) or one text per line; "
                    + "- for standard input.")
    String input;

    @Option(
            names = "--field",
            paramLabel = "NAME",
            defaultValue = "text",
            description = "JSON field holding the text in .jsonl input (default: ${DEFAULT-VALUE}).")
    String field;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description =
                    "Write vectors to FILE: .npy ([n, dim] in --precision) or .jsonl; default: JSON lines on stdout.")
    String output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        if (output != null && !output.equals("-")) {
            VectorWriter.checkTarget(output); // a folder or an impossible path fails before any work
        }
        List<String> all = collectTexts();
        PrintWriter err = spec.commandLine().getErr();
        EmbedRequest request = vectorOptions.request();
        Precision precision = vectorOptions.precision();
        try (Embedder embedder = Embedder.open(model.source(), model.embedOptions());
                VectorWriter writer = VectorWriter.open(
                        output,
                        System.out,
                        all.size(),
                        width(request.dimensions().orElse(embedder.dimension()), precision),
                        VectorOptions.npyDescr(precision))) {
            Progress progress = new Progress(err, all.size());
            // int8/uint8 ranges come from all inputs, so those rows are written after the last chunk
            boolean calibrate = precision == Precision.INT8 || precision == Precision.UINT8;
            List<Embeddings> held = new ArrayList<>();
            for (int start = 0; start < all.size(); start += CHUNK) {
                List<String> chunk = all.subList(start, Math.min(all.size(), start + CHUNK));
                Embeddings vectors = embedder.embed(chunk, request);
                if (calibrate) {
                    held.add(vectors);
                } else {
                    write(writer, start, vectors, precision, null);
                }
                progress.update(start + chunk.size());
            }
            float[][] calibration =
                    held.stream().flatMap(e -> Arrays.stream(e.toArray())).toArray(float[][]::new);
            int start = 0;
            for (Embeddings vectors : held) {
                write(writer, start, vectors, precision, calibration);
                start += vectors.size();
            }
            writer.finish();
        }
        return 0;
    }

    private static int width(int dimensions, Precision precision) {
        return precision == Precision.FLOAT32 ? dimensions : precision.bytesPerVector(dimensions);
    }

    private static void write(
            VectorWriter writer, int start, Embeddings vectors, Precision precision, float[][] calibration)
            throws java.io.IOException {
        if (precision == Precision.FLOAT32) {
            for (int i = 0; i < vectors.size(); i++) writer.write(start + i, vectors.vector(i));
            return;
        }
        QuantizedEmbeddings q = calibration == null
                ? QuantizedEmbeddings.of(vectors, precision)
                : QuantizedEmbeddings.of(vectors, precision, calibration);
        for (int i = 0; i < q.size(); i++) writer.write(start + i, q.bytes(i), precision.signed());
    }

    private List<String> collectTexts() throws java.io.IOException {
        if (input != null && !texts.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "give texts either as arguments or with --input, not both");
        }
        if (input != null) {
            return InputTexts.read(input, field, System.in);
        }
        if (texts.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "no texts: give them as arguments or with --input FILE (- for stdin)");
        }
        return texts;
    }
}
