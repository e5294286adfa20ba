package dev.onyx.onnx;

import dev.onyx.onnx.NeatGenome.ConnectionGene;
import dev.onyx.onnx.NeatGenome.NodeGene;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures time per export of a 100-node genome and of the text classifier; a program, not a test (run it
 * by hand, see the module README). Not thread-safe.
 */
public final class ExportTiming {
    private ExportTiming() {}

    public static void main(String[] args) throws Exception {
        NeatGenome genome = hundredNodeGenome();
        LayerStackSpec spec =
                LayerStackSpec.parse(LayerStackRoundTripTest.resource("/text-classifier.json"), Path.of("."));
        LayerStack stack = LayerStack.load(spec);
        report("neat 100 nodes, " + genome.connections().size() + " connections", () -> NeatExporter.export(genome));
        report("text-classifier export", () -> LayerStackExporter.export(stack));
        report("text-classifier load(seeded)+export", () -> LayerStackExporter.export(LayerStack.load(spec)));
    }

    interface Export {
        ExportedModel run() throws Exception;
    }

    private static void report(String what, Export export) throws Exception {
        long bytes = 0;
        for (int i = 0; i < 200; i++) {
            bytes = export.run().toByteArray().length;
        }
        int runs = 500;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            export.run();
        }
        double millis = (System.nanoTime() - start) / 1e6 / runs;
        System.out.printf("%-45s %8.3f ms/export  (%d bytes)%n", what, millis, bytes);
    }

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
        for (int t = 0; t < order.size(); t++) {
            for (int k = 0; k < 6; k++) {
                int s = random.nextInt(t + 5) - 5;
                int source = s < 0 ? s : order.get(s);
                if (connections.stream().noneMatch(c -> c.in() == source && c.out() == order.get(0))) {
                    connections.add(new ConnectionGene(
                            source,
                            order.get(t),
                            random.nextDouble() * 2 - 1,
                            random.nextInt(10) > 0,
                            connections.size()));
                }
            }
        }
        return new NeatGenome(5, 5, nodes, dedupe(connections));
    }

    private static List<ConnectionGene> dedupe(List<ConnectionGene> connections) {
        List<ConnectionGene> out = new ArrayList<>();
        java.util.Set<List<Integer>> seen = new java.util.HashSet<>();
        for (ConnectionGene c : connections) {
            if (seen.add(List.of(c.in(), c.out()))) {
                out.add(c);
            }
        }
        return out;
    }
}
