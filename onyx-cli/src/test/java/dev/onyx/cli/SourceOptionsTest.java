package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --quantize} and {@code --offline} come from one mixin: the same options and help on embed, info, serve, mcp. */
class SourceOptionsTest {
    @Test
    void embedInfoServeAndMcpOfferTheSameQuantizeAndOfflineOptions() {
        CommandLine cli = Main.commandLine();
        String quantizeHelp = null;
        for (String name : List.of("embed", "info", "serve", "mcp")) {
            CommandLine command = cli.getSubcommands().get(name);
            CommandSpec spec = command.getCommandSpec();
            assertThat(spec.findOption("--quantize")).as(name).isNotNull();
            assertThat(spec.findOption("--offline")).as(name).isNotNull();
            String help = String.join(" ", spec.findOption("--quantize").description());
            assertThat(help).as(name).contains("Allowed: int8");
            if (quantizeHelp != null) assertThat(help).as(name).isEqualTo(quantizeHelp);
            quantizeHelp = help;
            assertThat(String.join(" ", spec.findOption("--offline").description()))
                    .as(name)
                    .contains("ONYX_OFFLINE=1");
            assertThat(command.getUsageMessage(CommandLine.Help.Ansi.OFF))
                    .as(name)
                    .contains("--quantize=int8", "--offline");
        }
    }
}
