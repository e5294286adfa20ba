package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onyx.server.EmbeddingServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code onyx serve} run in-process on port 0, used over real HTTP, then stopped. */
class ServeCommandTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> post(int port, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serveAnswersUnderEveryModelNameWithTheGivenLimitsAndKey() throws Exception {
        CommandLine cli = Main.commandLine();
        ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(
                "serve",
                "--port",
                "0",
                "--max-client-batch",
                "2",
                "--api-key",
                "k3y",
                "--model",
                "minilm=all-minilm-l6-v2",
                "--model",
                "again=all-minilm-l6-v2",
                "--cors-allow-origin",
                "https://app.example.com"));
        EmbeddingServer server = awaitStarted(serve, exit);
        try {
            int port = server.port();
            String key = "Bearer k3y";

            HttpResponse<String> ok = post(
                    port,
                    "/v1/embeddings",
                    "{\"model\":\"again\",\"input\":\"hello\"}",
                    "Authorization",
                    key,
                    "Origin",
                    "https://app.example.com");
            HttpResponse<String> tooMany =
                    post(port, "/v1/embeddings", "{\"input\":[\"a\",\"b\",\"c\"]}", "Authorization", key);
            HttpResponse<String> noKey = post(port, "/embed", "{\"inputs\":\"hello\"}");

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"model\":\"again\""); // the alias asked for
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
            assertThat(tooMany.statusCode()).isEqualTo(413);
            assertThat(noKey.statusCode()).isEqualTo(401);
            assertThat(server.grpcPort()).as("gRPC is off unless asked").isEmpty();
        } finally {
            server.close();
        }
        assertThat(exit.get()).isZero();
    }

    @Test
    void grpcPortServesTeisGrpcServicesBesideHttp() throws Exception {
        CommandLine cli = Main.commandLine();
        ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> cli.execute("serve", "--port", "0", "--grpc-port", "0"));
        EmbeddingServer server = awaitStarted(serve, exit);
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", server.grpcPort().orElseThrow(), InsecureChannelCredentials.create())
                .build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            for (String service : new String[] {"", "tei.v1.Embed", "tei.v1.Info", "tei.v1.Tokenize"}) {
                assertThat(health.check(HealthCheckRequest.newBuilder()
                                        .setService(service)
                                        .build())
                                .getStatus())
                        .as(service)
                        .isEqualTo(ServingStatus.SERVING);
            }
            assertThat(post(server.port(), "/embed", "{\"inputs\":\"hello\"}").statusCode())
                    .isEqualTo(200);
        } finally {
            channel.shutdownNow();
            server.close();
        }
        assertThat(exit.get()).isZero();
    }

    @Test
    void aModelSpecWithoutASourceIsAUsageFailure() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("serve", "--port", "0", "--model", "name=");

        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString())
                .contains("--model must be NAME=SOURCE or SOURCE, was 'name='")
                .contains("Try 'onyx serve --help' for usage.");
    }

    @Test
    void aModelNameGivenTwiceIsAUsageFailure() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));

        int code =
                cli.execute("serve", "--port", "0", "--model", "a=all-minilm-l6-v2", "--model", "a=all-minilm-l6-v2");

        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--model names must be unique; 'a' is given twice");
    }

    @Test
    void aShutdownTimeoutThatIsNotADurationIsAUsageErrorNamingTheForms() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("serve", "--port", "0", "--shutdown-timeout", "soon");

        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'soon' is not a duration", "500ms, 30s or 2m");
    }

    private static EmbeddingServer awaitStarted(ServeCommand serve, CompletableFuture<Integer> exit) throws Exception {
        while (serve.server() == null) {
            if (exit.isDone()) {
                throw new AssertionError("serve exited early with " + exit.get());
            }
            Thread.sleep(20);
        }
        return serve.server();
    }
}
