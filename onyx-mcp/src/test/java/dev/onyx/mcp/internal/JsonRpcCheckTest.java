package dev.onyx.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonRpcCheckTest {
    private final JsonRpcCheck check = new JsonRpcCheck(Set.of("embed", "search"));

    private JsonRpcCheck.Verdict verdict(String line) throws IOException {
        return check.check(McpJsonDefaults.getMapper().readValue(line, Object.class));
    }

    private JsonRpcCheck.Reject reject(String line) throws IOException {
        assertThat(verdict(line)).as(line).isInstanceOf(JsonRpcCheck.Reject.class);
        return (JsonRpcCheck.Reject) verdict(line);
    }

    @Test
    void validRequestsNotificationsAndResponsesPassOn() throws IOException {
        assertThat(verdict("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"))
                .isEqualTo(new JsonRpcCheck.Forward(Optional.of(7)));
        assertThat(verdict("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"embed\","
                        + "\"arguments\":{}}}"))
                .isEqualTo(new JsonRpcCheck.Forward(Optional.of("a")));
        assertThat(verdict("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                .isEqualTo(new JsonRpcCheck.Forward(Optional.empty()));
        assertThat(verdict("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"))
                .isEqualTo(new JsonRpcCheck.Forward(Optional.empty()));
    }

    @Test
    void structuralProblemsAreInvalidRequests() throws IOException {
        assertThat(reject("{}").code()).isEqualTo(-32600);
        assertThat(reject("[]").message()).contains("empty array");
        assertThat(reject("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]")
                        .message())
                .contains("batches");
        assertThat(reject("\"text\"").message()).contains("was a string");
        JsonRpcCheck.Reject wrongVersion = reject("{\"jsonrpc\":\"1.0\",\"id\":4,\"method\":\"ping\"}");
        assertThat(wrongVersion.id()).isEqualTo(4);
        assertThat(wrongVersion.code()).isEqualTo(-32600);
        JsonRpcCheck.Reject nullId = reject("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}");
        assertThat(nullId.id()).isNull();
        assertThat(nullId.message()).contains("'id'");
        assertThat(reject("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}")
                        .id())
                .isNull();
        assertThat(reject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}").message())
                .contains("'method'");
        assertThat(reject("{\"jsonrpc\":\"2.0\",\"id\":1}").message()).contains("'result'");
    }

    @Test
    void wrongParamsAreInvalidParamsNamingTheField() throws IOException {
        JsonRpcCheck.Reject unknown =
                reject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}");
        assertThat(unknown.code()).isEqualTo(-32602);
        assertThat(unknown.message()).contains("unknown tool 'nope'").contains("embed, search");
        assertThat(reject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[1]}")
                        .message())
                .contains("'params' must be an object, was an array");
        assertThat(reject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"embed\","
                                + "\"arguments\":5}}")
                        .message())
                .contains("'params.arguments' must be an object");
        assertThat(reject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}")
                        .message())
                .contains("'params.protocolVersion'");
        assertThat(reject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"cursor\":1}}")
                        .message())
                .contains("'params.cursor' must be a string");
    }

    @Test
    void aNotificationWithWrongParamsIsDroppedNotAnswered() throws IOException {
        assertThat(verdict("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":\"x\"}"))
                .isInstanceOf(JsonRpcCheck.Drop.class);
    }
}
