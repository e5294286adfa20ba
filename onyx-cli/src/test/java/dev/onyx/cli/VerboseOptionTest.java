package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerboseOptionTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandThatDoesSomethingAcceptsVerbose() {
        List<String> without = new ArrayList<>();
        collectWithout(Main.commandLine(), "onyx", without);

        // only the groups (which print their usage) and picocli's help go without
        assertThat(without).containsExactlyInAnyOrder("onyx", "onyx export", "onyx cache", "onyx help");
    }

    @Test
    void aFailureIsOneLineUnlessVerboseAsksForTheStackTrace() {
        String missing = dir.resolve("no-such-model").toString();

        CliRunner.Result plain = CliRunner.run("info", "--model", missing);
        CliRunner.Result verbose = CliRunner.run("info", "--model", missing, "--verbose");

        assertThat(plain.exitCode()).isNotZero();
        assertThat(plain.err()).startsWith("onyx: ").doesNotContain("\tat ");
        assertThat(verbose.exitCode()).isEqualTo(plain.exitCode());
        assertThat(verbose.err()).startsWith(plain.err().strip()).contains("\tat ");
    }

    private static void collectWithout(CommandLine command, String name, List<String> without) {
        if (command.getCommandSpec().findOption("--verbose") == null) without.add(name);
        command.getSubcommands().forEach((sub, cli) -> collectWithout(cli, name + " " + sub, without));
    }
}
