package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.Embeddings;
import dev.onyx.embed.ModelSource;
import dev.onyx.onnx.NeatEvaluator;
import dev.onyx.onnx.NeatExporter;
import dev.onyx.onnx.NeatGenome;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Starts {@code onyx mcp} as a real process and drives it with the MCP SDK's own stdio client. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McpServerProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Vectors cross the process boundary as JSON float text; both sides run the same model on the same batch. */
    private static final double VECTOR_TOLERANCE = 1e-6;
    /** Float32 ONNX output against the double-precision NEAT evaluator. */
    private static final double NEAT_TOLERANCE = 1e-5;

    @TempDir
    static Path dir;

    private static Path stdoutCopy;
    private static Path models;
    private static McpSyncClient client;
    private static Embedder embedder;
    private static final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        models = Files.createDirectories(dir.resolve("models"));
        NeatExporter.export(NeatGenome.parse(ExportRunCommandTest.GENOME)).writeTo(models.resolve("net.onnx"));
        Files.writeString(dir.resolve("secret.onnx"), "not for the tool");
        stdoutCopy = dir.resolve("stdout.jsonl");
        client = startClient(List.of("--allow-dir", models.toString()), stdoutCopy);
        embedder = Embedder.open(ModelSource.defaultModel());
    }

    /** The server's stdout goes through tee, so the test sees every byte the client was sent. */
    static McpSyncClient startClient(List<String> serverArgs, Path stdout) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "\"$ONYX_JAVA\" -cp \"$ONYX_CP\" dev.onyx.cli.Main mcp "
                + serverArgs.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "))
                + " | tee \"$ONYX_STDOUT\"";
        ServerParameters params = ServerParameters.builder("/bin/sh")
                .args("-c", command)
                .addEnvVar("ONYX_JAVA", java)
                .addEnvVar("ONYX_CP", System.getProperty("java.class.path"))
                .addEnvVar("ONYX_STDOUT", stdout.toString())
                .build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient c = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(120))
                .initializationTimeout(Duration.ofSeconds(120))
                .build();
        c.initialize();
        return c;
    }

    @AfterAll
    static void stop() {
        if (client != null) client.closeGracefully();
        if (embedder != null) embedder.close();
    }

    @Test
    @Order(1)
    void listsEveryToolWithAnArgumentSchema() {
        List<Tool> tools = client.listTools().tools();
        assertThat(tools)
                .extracting(Tool::name)
                .containsExactlyInAnyOrder("embed", "similarity", "search", "model_info", "onnx_run");
        for (Tool tool : tools) {
            assertThat(tool.description()).isNotBlank();
            assertThat(tool.inputSchema()).containsEntry("type", "object").containsKey("properties");
        }
        Tool embed =
                tools.stream().filter(t -> t.name().equals("embed")).findFirst().orElseThrow();
        assertThat(embed.inputSchema().get("required")).isEqualTo(List.of("texts"));
    }

    @Test
    @Order(2)
    void embedReturnsTheEmbeddersVectors() {
        List<String> texts = List.of("The cat sat on the mat.", "A completely different sentence about finance.");
        JsonNode out = ok(call("embed", Map.of("texts", texts)));
        Embeddings expected = embedder.embed(texts);
        assertThat(out.path("model").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(out.path("dimension").asInt()).isEqualTo(384);
        for (int i = 0; i < texts.size(); i++) {
            JsonNode vector = out.path("vectors").get(i);
            assertThat(vector.size()).isEqualTo(384);
            for (int d = 0; d < 384; d++) {
                assertThat(vector.get(d).asDouble()).isCloseTo(expected.vector(i)[d], within(VECTOR_TOLERANCE));
            }
            assertThat(out.path("token_counts").get(i).asInt()).isEqualTo(expected.tokenCount(i));
        }
    }

    @Test
    @Order(3)
    void embedWithDimensionsCutsAndRenormalizes() {
        JsonNode out = ok(call("embed", Map.of("texts", List.of("hello world"), "dimensions", 64)));
        float[] full = embedder.embed("hello world");
        double norm = Math.sqrt(
                IntStream.range(0, 64).mapToDouble(d -> full[d] * full[d]).sum());
        JsonNode vector = out.path("vectors").get(0);
        assertThat(vector.size()).isEqualTo(64);
        for (int d = 0; d < 64; d++) {
            assertThat(vector.get(d).asDouble()).isCloseTo(full[d] / norm, within(VECTOR_TOLERANCE));
        }
    }

    @Test
    @Order(4)
    void similarityScoresPairsAndOneAgainstMany() {
        JsonNode pairs = ok(call(
                "similarity",
                Map.of("pairs", List.of(List.of("a happy dog", "a joyful puppy"), List.of("a happy dog", "tax law")))));
        double close = cosine(embedder.embed("a happy dog"), embedder.embed("a joyful puppy"));
        assertThat(pairs.path("scores").get(0).asDouble()).isCloseTo(close, within(VECTOR_TOLERANCE));
        assertThat(pairs.path("scores").get(0).asDouble())
                .isGreaterThan(pairs.path("scores").get(1).asDouble());

        JsonNode many =
                ok(call("similarity", Map.of("text", "a happy dog", "texts", List.of("tax law", "a joyful puppy"))));
        assertThat(many.path("scores").get(1).asDouble()).isCloseTo(close, within(VECTOR_TOLERANCE));
    }

    @Test
    @Order(5)
    void searchRanksAHandMadeSetByCosine() {
        List<String> documents = List.of(
                "The stock market fell sharply today.",
                "Knead the dough and let it rise before baking the loaf.",
                "Cats sleep for most of the day.",
                "Preheat the oven to bake sourdough bread.");
        JsonNode out = ok(call("search", Map.of("query", "How do I bake bread at home?", "documents", documents)));
        JsonNode results = out.path("results");
        assertThat(results.size()).isEqualTo(4);
        List<Integer> order = new ArrayList<>();
        results.forEach(r -> order.add(r.path("index").asInt()));
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(1, 3);
        float[] query = embedder.embed("How do I bake bread at home?");
        for (JsonNode r : results) {
            int i = r.path("index").asInt();
            assertThat(r.path("document").asText()).isEqualTo(documents.get(i));
            assertThat(r.path("score").asDouble())
                    .isCloseTo(cosine(query, embedder.embed(documents.get(i))), within(VECTOR_TOLERANCE));
        }
        for (int k = 1; k < results.size(); k++) {
            assertThat(results.get(k).path("score").asDouble())
                    .isLessThanOrEqualTo(results.get(k - 1).path("score").asDouble());
        }
        JsonNode top = ok(call("search", Map.of("query", "bread", "documents", documents, "top_k", 1)));
        assertThat(top.path("results").size()).isEqualTo(1);
    }

    @Test
    @Order(6)
    void modelInfoDescribesTheLoadedModel() {
        JsonNode model = ok(call("model_info", Map.of())).path("models").get(0);
        assertThat(model.path("name").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(model.path("dimension").asInt()).isEqualTo(384);
        assertThat(model.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(model.path("pooling").asText()).isEqualTo("mean");
        assertThat(model.path("device").asText()).isEqualTo("cpu");
    }

    @Test
    @Order(7)
    void onnxRunRunsAModelInTheAllowedDirectory() {
        double[][] batch = {{0.5, -0.25}, {1.0, 2.0}};
        JsonNode out = ok(call(
                "onnx_run",
                Map.of(
                        "path",
                        models.resolve("net.onnx").toString(),
                        "inputs",
                        Map.of("input", List.of(List.of(0.5, -0.25), List.of(1.0, 2.0))))));
        JsonNode output = out.path("outputs").path("output");
        assertThat(output.path("shape").toString()).isEqualTo("[2,2]");
        double[][] expected =
                NeatEvaluator.of(NeatGenome.parse(ExportRunCommandTest.GENOME)).activate(batch);
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 2; k++) {
                assertThat(output.path("data").get(r * 2 + k).asDouble())
                        .isCloseTo(expected[r][k], within(NEAT_TOLERANCE));
            }
        }
        JsonNode flat = ok(call(
                "onnx_run",
                Map.of(
                        "path",
                        "net.onnx",
                        "inputs",
                        Map.of("input", List.of(0.5, -0.25)),
                        "shapes",
                        Map.of("input", List.of(1, 2)))));
        assertThat(flat.path("outputs").path("output").path("shape").toString()).isEqualTo("[1,2]");
    }

    @Test
    @Order(8)
    void badArgumentsAreToolErrorsAndTheServerStaysUp() {
        assertToolError(call("embed", Map.of("texts", List.of())), "texts");
        assertToolError(
                call("embed", Map.of("texts", List.of("x"), "model", "nope")),
                "/model: does not have a value in the enumeration");
        assertToolError(
                call("embed", Map.of("texts", List.of("x"), "dimensions", 1000)),
                "'dimensions' is 1000 but model 'all-minilm-l6-v2' has 384");
        assertToolError(
                call("embed", Map.of("texts", List.of("x"), "prompt_name", "query")),
                "model 'all-minilm-l6-v2' has no prompt named 'query'; allowed: []");
        assertToolError(
                call("similarity", Map.of("text", "a", "pairs", List.of(List.of("a", "b")))), "give either 'pairs'");
        List<String> tooMany = Collections.nCopies(1001, "doc");
        assertToolError(call("search", Map.of("query", "q", "documents", tooMany)), "documents");
        assertToolError(
                call("onnx_run", Map.of("path", dir.resolve("secret.onnx").toString(), "inputs", Map.of())),
                "is outside the allowed directories");
        assertToolError(
                call("onnx_run", Map.of("path", "../secret.onnx", "inputs", Map.of())),
                "is outside the allowed directories");
        assertToolError(
                call(
                        "onnx_run",
                        Map.of("path", "net.onnx", "inputs", Map.of("input", List.of(List.of(1, 2), List.of(3))))),
                "input 'input' is ragged at depth 1");
        assertToolError(
                call("onnx_run", Map.of("path", "net.onnx", "inputs", Map.of("inptu", List.of(List.of(1, 2))))),
                "unknown input 'inptu'");
        assertToolError(call("onnx_run", Map.of("path", "missing.onnx", "inputs", Map.of())), "model file not found");

        assertThat(ok(call("embed", Map.of("texts", List.of("still alive"))))
                        .path("vectors")
                        .size())
                .isEqualTo(1);
    }

    @Test
    @Order(9)
    void withoutAllowDirOnnxRunIsAbsent() {
        McpSyncClient plain = startClient(List.of(), dir.resolve("plain-stdout.jsonl"));
        try {
            assertThat(plain.listTools().tools())
                    .extracting(Tool::name)
                    .doesNotContain("onnx_run")
                    .contains("embed");
        } finally {
            plain.closeGracefully();
        }
    }

    @Test
    @Order(10)
    void stdoutCarriesOnlyProtocolMessages() throws Exception {
        client.closeGracefully();
        client = null;
        List<String> lines = Files.readAllLines(stdoutCopy);
        assertThat(lines).hasSizeGreaterThan(10);
        for (String line : lines) {
            JsonNode message = JSON.readTree(line);
            assertThat(message.path("jsonrpc").asText()).as(line).isEqualTo("2.0");
        }
    }

    private static CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(new CallToolRequest(tool, arguments));
    }

    private static JsonNode ok(CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
        return JSON.valueToTree(result.structuredContent());
    }

    private static void assertToolError(CallToolResult result, String message) {
        assertThat(result.isError()).as(text(result)).isTrue();
        assertThat(text(result)).contains(message);
    }

    private static String text(CallToolResult result) {
        return result.content().stream()
                .filter(TextContent.class::isInstance)
                .map(c -> ((TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }

    private static double cosine(float[] a, float[] b) {
        return dev.onyx.embed.Similarity.cosine(a, b);
    }
}
