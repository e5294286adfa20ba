package dev.onyx.cli;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import java.io.PrintWriter;
import java.util.ArrayList;
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
            description = "Write vectors to FILE: .npy (float32 [n, dim]) or .jsonl; default: JSON lines on stdout.")
    String output;

    @Option(names = "--verbose", description = "Print stack traces on failure.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        List<String> all = collectTexts();
        PrintWriter err = spec.commandLine().getErr();
        try (Embedder embedder = Embedder.open(model.source(), model.embedOptions());
                VectorWriter writer = VectorWriter.open(output, System.out, all.size(), embedder.dimension())) {
            Progress progress = new Progress(err, all.size());
            for (int start = 0; start < all.size(); start += CHUNK) {
                List<String> chunk = all.subList(start, Math.min(all.size(), start + CHUNK));
                Embeddings vectors = embedder.embed(chunk);
                for (int i = 0; i < vectors.size(); i++) {
                    writer.write(start + i, vectors.vector(i));
                }
                progress.update(start + chunk.size());
            }
            writer.finish();
        }
        return 0;
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
