package dev.onyx.onnx.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onyx.onnx.NeatActivation;
import dev.onyx.onnx.NeatGenome;
import dev.onyx.onnx.NeatGenome.ConnectionGene;
import dev.onyx.onnx.NeatGenome.NodeGene;
import dev.onyx.onnx.OnnxBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes {@link NeatGenome} JSON in neat-python's conventions; stateless and thread-safe. */
public final class GenomeJson {
    private GenomeJson() {}

    public static NeatGenome read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (OnnxBuildException e) {
            throw new OnnxBuildException(file + ": " + e.getMessage(), e);
        }
    }

    public static NeatGenome parse(String json) {
        JsonNode root = Json.tree(json, "genome");
        int inputs = Json.integer(root, "inputs", "genome");
        int outputs = Json.integer(root, "outputs", "genome");
        List<NodeGene> nodes = new ArrayList<>();
        for (JsonNode node : Json.array(root, "nodes", "genome")) {
            nodes.add(node(node));
        }
        List<ConnectionGene> connections = new ArrayList<>();
        for (JsonNode connection : Json.array(root, "connections", "genome")) {
            connections.add(connection(connection));
        }
        return new NeatGenome(inputs, outputs, nodes, connections);
    }

    private static NodeGene node(JsonNode node) {
        int id = Json.integer(node, "id", "node");
        String where = "node " + id;
        String aggregation = Json.text(node, "aggregation", where, "sum");
        if (!aggregation.equals("sum")) {
            throw new OnnxBuildException(where + " has aggregation '" + aggregation + "'; supported: sum");
        }
        NeatActivation activation;
        try {
            activation = NeatActivation.parse(Json.text(node, "activation", where));
        } catch (OnnxBuildException e) {
            throw new OnnxBuildException(where + ": " + e.getMessage(), e);
        }
        return new NodeGene(
                id,
                Json.number(node, "bias", where),
                Json.number(node, "response", where, 1.0),
                activation,
                NeatGenome.Aggregation.SUM);
    }

    private static ConnectionGene connection(JsonNode connection) {
        int in = Json.integer(connection, "in", "connection");
        int out = Json.integer(connection, "out", "connection");
        String where = "connection " + in + " -> " + out;
        return new ConnectionGene(
                in,
                out,
                Json.number(connection, "weight", where),
                Json.bool(connection, "enabled", where, true),
                Json.integer(connection, "innovation", where, -1));
    }

    public static String write(NeatGenome genome) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("inputs", genome.inputs());
        root.put("outputs", genome.outputs());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeGene node : genome.nodes()) {
            nodes.addObject()
                    .put("id", node.id())
                    .put("bias", node.bias())
                    .put("response", node.response())
                    .put("activation", node.activation().neatName())
                    .put("aggregation", "sum");
        }
        ArrayNode connections = root.putArray("connections");
        for (ConnectionGene c : genome.connections()) {
            ObjectNode o = connections
                    .addObject()
                    .put("in", c.in())
                    .put("out", c.out())
                    .put("weight", c.weight())
                    .put("enabled", c.enabled());
            if (c.innovation() >= 0) {
                o.put("innovation", c.innovation());
            }
        }
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }
}
