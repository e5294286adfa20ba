package dev.onyx.embed.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelHub;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.Pooling;
import dev.onyx.embed.Quantization;
import dev.onyx.onnx.ActivationStatistics;
import dev.onyx.onnx.Quantizer;
import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes the folder behind {@link Quantization#quantize}: calibrate, quantize, copy the tokenizer and configs, check
 * against fp32 on the probe texts, then rename into place. Stateless, so thread-safe.
 */
public final class Int8Folder {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String RESOURCES = "/dev/onyx/embed/quantization/";
    static final String REPORT = "quantization.json";
    /** How often the gate may tighten {@link Quantizer.Settings#maxStep()} before it refuses. */
    static final int MAX_TIGHTENINGS = 3;

    static final double TIGHTEN = 0.6;

    private Int8Folder() {}

    public static Quantization.Result write(
            ModelSource source, Path output, Quantization.Options options, Consumer<String> progress)
            throws IOException {
        long start = System.nanoTime();
        checkOutput(output);
        ModelDescriptor descriptor = resolve(source);
        List<String> calibration = options.calibrationTexts().orElseGet(() -> bundled("calibration.txt")).stream()
                .limit(options.samples())
                .toList();
        List<String> probe = bundled("probe.txt");
        Path parent = output.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        Path work = parent.resolve(
                "." + output.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectory(work);
        try {
            Quantization.Result result;
            try (Embedder fp32 = Embedder.open(source, EmbedOptions.defaults())) {
                // a private copy: the fused graph in Onyx's shared cache may be pruned by another process meanwhile
                Path graph = work.resolve("fp32.onnx");
                Files.copy(Path.of(fp32.info().runtimeFile()), graph);
                progress.accept("onyx: quantizing " + fp32.info().name() + " ("
                        + fp32.info().graph() + ")");
                Path calibrationModel = work.resolve("calibration.onnx");
                List<Quantizer.Site> sites = Quantizer.writeCalibrationCopy(graph, calibrationModel);
                List<long[]> ids = calibration.stream().map(fp32::tokenIds).toList();
                int every = Math.max(1, ids.size() / 10);
                Map<String, ActivationStatistics> stats =
                        Int8Calibration.collect(calibrationModel, sites, ids, RuntimeOptions.defaults(), done -> {
                            if (done % every == 0 || done == ids.size()) {
                                progress.accept("onyx: calibrated " + done + "/" + ids.size() + " texts");
                            }
                        });
                Files.delete(calibrationModel);
                writeConfigs(descriptor, fp32, work);
                progress.accept("onyx: checking " + probe.size() + " probe texts against fp32");
                float[][] expected = fp32.embed(probe).toArray();
                Quantizer.Settings settings = options.settings();
                Quantizer.Report report;
                double worst;
                double sum;
                int worstRow;
                for (int attempt = 0; ; attempt++) {
                    report = Quantizer.quantize(graph, work.resolve("model.onnx"), stats, settings);
                    progress.accept("onyx: " + report.quantized().size() + " nodes int8, "
                            + report.keptFp32().size() + " kept fp32"
                            + (report.declined().isEmpty() ? "" : ", declined " + report.declined()));
                    float[][] actual;
                    try (Embedder int8 = Embedder.open(
                            new ModelSource.Folder(work),
                            EmbedOptions.defaults().withGraphFusion(false))) {
                        actual = int8.embed(probe).toArray();
                    }
                    worst = 2;
                    sum = 0;
                    worstRow = 0;
                    for (int i = 0; i < probe.size(); i++) {
                        double c = cosine(expected[i], actual[i]);
                        sum += c;
                        if (c < worst) {
                            worst = c;
                            worstRow = i;
                        }
                    }
                    boolean canTighten = options.adaptive()
                            && attempt < MAX_TIGHTENINGS
                            && Double.isFinite(settings.maxStep())
                            && report.quantized().size() > 1;
                    if (worst >= options.minCosine() || !canTighten) break;
                    settings = settings.withMaxStep(settings.maxStep() * TIGHTEN);
                    progress.accept(String.format(
                            "onyx: worst probe cosine %.5f is below %.5f; keeping activations with a step over %.4f"
                                    + " fp32",
                            worst, options.minCosine(), settings.maxStep()));
                }
                String worstText = shorten(probe.get(worstRow));
                if (worst < options.minCosine()) {
                    throw new Quantization.QualityGateException(
                            String.format(
                                    "the int8 model of %s fails the quality gate: worst probe cosine %.5f is below"
                                            + " --min-cosine %.5f (on \"%s\"); nothing was written",
                                    fp32.info().name(), worst, options.minCosine(), worstText),
                            worst);
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                result = new Quantization.Result(
                        output,
                        calibration.size(),
                        sha256(String.join("\n", calibration)),
                        report.quantized(),
                        report.keptFp32(),
                        probe.size(),
                        worst,
                        sum / probe.size(),
                        worstText,
                        millis);
                writeReport(work.resolve(REPORT), fp32, options.withSettings(settings), result, report, sites, stats);
            }
            Files.delete(work.resolve("fp32.onnx"));
            if (Files.isDirectory(output)) Files.delete(output); // checked empty above
            Files.move(work, output, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } finally {
            deleteTree(work);
        }
    }

    private static void checkOutput(Path output) throws IOException {
        if (Files.exists(output)) {
            if (!Files.isDirectory(output)) {
                throw new OnyxException(
                        "output " + output + " exists and is not a directory; give a new or empty" + " directory");
            }
            try (Stream<Path> entries = Files.list(output)) {
                if (entries.findAny().isPresent()) {
                    throw new OnyxException(
                            "output directory " + output + " is not empty; give a new or empty" + " directory");
                }
            }
        }
    }

    private static ModelDescriptor resolve(ModelSource source) throws IOException {
        if (source instanceof ModelSource.Bundled bundled) {
            return BundledModels.resolve(Catalog.find(bundled.name()).orElseThrow());
        }
        if (source instanceof ModelSource.Hub hub) {
            source = ModelHub.fromEnvironment().pull(hub);
        }
        ModelSource.Folder folder = (ModelSource.Folder) source;
        return FolderModels.resolve(folder.directory(), folder.variant());
    }

    /** tokenizer.json, the source folder's own tokenizer/config files, and sentence-transformers configs. */
    private static void writeConfigs(ModelDescriptor descriptor, Embedder fp32, Path dir) throws IOException {
        if (descriptor.tokenizerFile() != null) {
            Files.copy(descriptor.tokenizerFile(), dir.resolve("tokenizer.json"));
            Path sourceDir = descriptor.tokenizerFile().getParent();
            for (String name :
                    List.of("config.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")) {
                Path file = sourceDir.resolve(name);
                if (Files.isRegularFile(file)) Files.copy(file, dir.resolve(name));
            }
        } else {
            try (InputStream in =
                    Int8Folder.class.getClassLoader().getResourceAsStream(descriptor.tokenizerResource())) {
                if (in == null) throw new IOException("missing resource " + descriptor.tokenizerResource());
                Files.copy(in, dir.resolve("tokenizer.json"));
            }
        }
        if (!Files.exists(dir.resolve("config.json")) && descriptor.vocabSize().isPresent()) {
            ObjectNode config = JSON.createObjectNode();
            config.put("vocab_size", descriptor.vocabSize().getAsInt());
            JSON.writeValue(dir.resolve("config.json").toFile(), config);
        }
        ObjectNode bert = JSON.createObjectNode();
        bert.put("max_seq_length", fp32.maxTokens());
        bert.put("do_lower_case", false);
        JSON.writeValue(dir.resolve("sentence_bert_config.json").toFile(), bert);
        ArrayNode modules = JSON.createArrayNode();
        modules.addObject()
                .put("idx", 0)
                .put("name", "0")
                .put("path", "")
                .put("type", "sentence_transformers.models.Transformer");
        modules.addObject()
                .put("idx", 1)
                .put("name", "1")
                .put("path", "1_Pooling")
                .put("type", "sentence_transformers.models.Pooling");
        if (fp32.info().normalize()) {
            modules.addObject()
                    .put("idx", 2)
                    .put("name", "2")
                    .put("path", "2_Normalize")
                    .put("type", "sentence_transformers.models.Normalize");
        }
        JSON.writeValue(dir.resolve("modules.json").toFile(), modules);
        Files.createDirectories(dir.resolve("1_Pooling"));
        Pooling pooling = fp32.info().pooling();
        ObjectNode poolingConfig = JSON.createObjectNode();
        poolingConfig.put("word_embedding_dimension", fp32.dimension());
        poolingConfig.put("pooling_mode_cls_token", pooling == Pooling.CLS);
        poolingConfig.put("pooling_mode_mean_tokens", pooling == Pooling.MEAN);
        poolingConfig.put("pooling_mode_max_tokens", pooling == Pooling.MAX);
        JSON.writeValue(dir.resolve("1_Pooling/config.json").toFile(), poolingConfig);
        if (!fp32.prompts().isEmpty()) {
            ObjectNode st = JSON.createObjectNode();
            ObjectNode prompts = st.putObject("prompts");
            fp32.prompts().forEach(prompts::put);
            fp32.defaultPromptName().ifPresent(name -> st.put("default_prompt_name", name));
            JSON.writeValue(dir.resolve(FolderPrompts.FILE).toFile(), st);
        }
    }

    private static void writeReport(
            Path file,
            Embedder fp32,
            Quantization.Options options,
            Quantization.Result result,
            Quantizer.Report report,
            List<Quantizer.Site> sites,
            Map<String, ActivationStatistics> stats)
            throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("format", "onyx-int8-static");
        json.put("source", fp32.info().name());
        json.put("source_sha256", fp32.info().modelSha256());
        json.put("graph", fp32.info().graph());
        json.put("method", options.settings().method().cliName());
        json.put("smoothing", options.settings().smoothing());
        json.put("max_step", options.settings().maxStep());
        json.put(
                "weights",
                "int8 symmetric per output column, ±"
                        + options.settings().weights().limit());
        json.put("activations", "uint8 asymmetric per tensor, static scales");
        json.put("calibration_texts", result.calibrationTexts());
        json.put("calibration_sha256", result.calibrationSha256());
        json.put("calibration_source", options.calibrationTexts().isPresent() ? "user" : "onyx bundled sample");
        ArrayNode quantized = json.putArray("nodes_int8");
        report.quantized().forEach(quantized::add);
        ArrayNode kept = json.putArray("nodes_kept_fp32");
        report.keptFp32().forEach(kept::add);
        // why each kept node stayed fp32: the calibrated range of the activation it reads, as a uint8 step
        ArrayNode why = json.putArray("nodes_kept_fp32_why");
        for (Quantizer.Site site : sites) {
            if (!report.keptFp32().contains(site.node())) continue;
            ActivationStatistics s = stats.get(site.activation());
            ObjectNode entry = why.addObject();
            entry.put("node", site.node());
            entry.put("activation", site.activation());
            if (s == null || s.count() == 0) {
                entry.put("reason", "kept fp32 by the caller");
                continue;
            }
            var range = s.range(options.settings().method());
            double step = (Math.max(range.max(), 0) - Math.min(range.min(), 0)) / 255.0;
            entry.put("min", range.min());
            entry.put("max", range.max());
            entry.put("uint8_step", step);
            entry.put(
                    "reason",
                    step > options.settings().maxStep()
                            ? String.format(
                                    java.util.Locale.ROOT,
                                    "uint8 step %.4f is over max_step %.4f: outliers would leave too coarse a grid",
                                    step,
                                    options.settings().maxStep())
                            : "kept fp32 by the caller");
        }
        ArrayNode declined = json.putArray("nodes_declined");
        report.declined().forEach(declined::add);
        ObjectNode gate = json.putObject("quality_gate");
        gate.put("probe_texts", result.probeTexts());
        gate.put("min_cosine", options.minCosine());
        gate.put("worst_cosine", result.worstCosine());
        gate.put("mean_cosine", result.meanCosine());
        String version = Int8Folder.class.getPackage().getImplementationVersion();
        json.put("onyx_version", version == null ? "development build" : version);
        JSON.writeValue(file.toFile(), json);
    }

    static List<String> bundled(String name) {
        try (InputStream in = Int8Folder.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCES + name);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().filter(l -> !l.isBlank()).toList();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + RESOURCES + name, e);
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover temporary folder is named as such
        }
    }
}
