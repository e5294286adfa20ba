package dev.onyx.bench.internal;

import dev.onyx.onnx.LayerStack;
import dev.onyx.onnx.LayerStackSpec;
import dev.onyx.onnx.NeatActivation;
import dev.onyx.onnx.NeatGenome;
import dev.onyx.onnx.NeatGenome.ConnectionGene;
import dev.onyx.onnx.NeatGenome.NodeGene;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/** The models the ONNX export section times (the same as onyx-onnx's {@code ExportTiming}); stateless. */
final class ExportInputs {
    static final String TEXT_CLASSIFIER = "dev/onyx/bench/text-classifier.json";

    private ExportInputs() {}

    /** 5 inputs, 5 outputs, 95 hidden nodes, each node fed by up to 6 earlier nodes; seed 100. */
    static NeatGenome hundredNodeGenome() {
        SplittableRandom random = new SplittableRandom(100);
        NeatActivation[] activations = NeatActivation.values();
        List<NodeGene> nodes = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int id = i < 95 ? 10 + i : i - 95;
            order.add(id);
            nodes.add(new NodeGene(
                    id,
                    random.nextDouble() - 0.5,
                    1.0,
                    activations[i % activations.length],
                    NeatGenome.Aggregation.SUM));
        }
        List<ConnectionGene> connections = new ArrayList<>();
        Set<List<Integer>> seen = new HashSet<>();
        for (int t = 0; t < order.size(); t++) {
            for (int k = 0; k < 6; k++) {
                int s = random.nextInt(t + 5) - 5;
                int source = s < 0 ? s : order.get(s);
                ConnectionGene gene = new ConnectionGene(
                        source, order.get(t), random.nextDouble() * 2 - 1, random.nextInt(10) > 0, connections.size());
                if (seen.add(List.of(gene.in(), gene.out()))) {
                    connections.add(gene);
                }
            }
        }
        return new NeatGenome(5, 5, nodes, connections);
    }

    /** The example text classifier: 40 int64 tokens → embedding(1000, 32) → dense 64 → pool → softmax 4. */
    static LayerStack textClassifier() throws IOException {
        try (InputStream in = Objects.requireNonNull(
                ExportInputs.class.getClassLoader().getResourceAsStream(TEXT_CLASSIFIER), TEXT_CLASSIFIER)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return LayerStack.load(LayerStackSpec.parse(json, Path.of(".")));
        }
    }
}
