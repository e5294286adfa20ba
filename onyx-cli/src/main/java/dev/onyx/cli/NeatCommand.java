package dev.onyx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.neat.Evaluator;
import dev.onyx.neat.EvaluatorKind;
import dev.onyx.neat.EvolutionResult;
import dev.onyx.neat.GenerationStats;
import dev.onyx.neat.Neat;
import dev.onyx.neat.NeatConfig;
import dev.onyx.neat.Task;
import dev.onyx.neat.TaskKind;
import dev.onyx.onnx.NeatExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx neat}: evolve a network for XOR or cart-pole, natively or through ONNX Runtime; used by one thread. */
@Command(
        name = "neat",
        mixinStandardHelpOptions = true,
        description = "Evolve networks with NEAT (neat-python semantics) for xor or cartpole; print one line per"
                + " generation and the best genome as JSON.")
final class NeatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "TASK",
            converter = Converters.TaskConverter.class,
            description = "xor or cartpole.")
    TaskKind task;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--generations",
            paramLabel = "G",
            defaultValue = "300",
            description = "Most generations to evaluate (default: ${DEFAULT-VALUE}).")
    int generations;

    @Option(
            names = "--population",
            paramLabel = "P",
            description = "Genomes per generation (default: the task's, 150).")
    Integer population;

    @Option(
            names = "--evaluator",
            paramLabel = "KIND",
            defaultValue = "native",
            converter = Converters.EvaluatorConverter.class,
            description = "native or onnx (default: ${DEFAULT-VALUE}).")
    EvaluatorKind evaluator;

    @Option(names = "--export-best", paramLabel = "FILE", description = "Write the best genome as an ONNX model.")
    Path exportBest;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the run's outcome and history as JSON.")
    Path json;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        if (generations < 1) {
            throw new ParameterException(spec.commandLine(), "--generations must be at least 1, got " + generations);
        }
        if (population != null && population < 2) {
            throw new ParameterException(spec.commandLine(), "--population must be at least 2, got " + population);
        }
        Task problem = Task.create(task, seed);
        NeatConfig config = problem.defaultConfig();
        if (population != null) {
            config = config.toBuilder().populationSize(population).build();
        }
        EvolutionResult result;
        try (Evaluator networks = Evaluator.create(evaluator)) {
            result = Neat.create(config, problem, networks, seed).run(generations, stats -> {
                System.out.println(stats.line());
                System.out.flush();
            });
        }
        System.out.println((result.solved() ? "solved" : "not solved") + " after " + result.generations()
                + " generations; best fitness " + result.bestFitness());
        System.out.println(result.bestGenome().toJson());
        if (exportBest != null) {
            NeatExporter.export(result.bestGenome()).writeTo(exportBest);
        }
        if (json != null) {
            Files.writeString(json, toJson(result));
        }
        return 0;
    }

    static String toJson(EvolutionResult result) throws java.io.IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("solved", result.solved());
        root.put("generations", result.generations());
        root.put("best_fitness", result.bestFitness());
        ArrayNode history = root.putArray("history");
        for (GenerationStats g : result.history()) {
            history.addObject()
                    .put("generation", g.generation())
                    .put("best", g.bestFitness())
                    .put("mean", g.meanFitness())
                    .put("species", g.species());
        }
        root.set("best_genome", mapper.readTree(result.bestGenome().toJson()));
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
