package dev.onyx.cli;

import dev.onyx.onnx.OnnxBuildException;
import dev.onyx.runtime.OnyxException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code onyx} command; each run is one process, so there is no shared state to guard. */
@Command(
        name = "onyx",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "ONNX inference for the JVM: sentence embeddings, an embedding server, ONNX export.",
        subcommands = {
            EmbedCommand.class,
            InfoCommand.class,
            ServeCommand.class,
            ExportCommand.class,
            RunCommand.class,
            McpCommand.class,
            PullCommand.class,
            ModelsCommand.class,
            QuantizeCommand.class,
            NeatCommand.class,
            CacheCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    /** Exit code for a failure while running. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage (unknown option, bad value). */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line in-process and returns the exit code (0 ok, 1 failure, 2 usage). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handleFailure);
        cli.setParameterExceptionHandler(Main::handleUsage);
        return cli;
    }

    /** One readable line per failure; the stack trace only with --verbose. */
    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
        if (e instanceof CommandLine.ParameterException p) {
            return handleUsage(p, new String[0]);
        }
        boolean expected = e instanceof OnyxException
                || e instanceof OnnxBuildException
                || e instanceof IOException
                || e instanceof NullPointerException;
        err.println("onyx: " + (expected ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage());
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    private static int handleUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("onyx: " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return EXIT_USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"onyx " + (version == null ? "dev" : version)};
        }
    }
}
