package dev.onyx.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}, shared by the commands (a picocli mixin): stack traces on failure. {@link Main}'s failure handler
 * reads it from the parse result.
 */
final class VerboseOption {
    @Option(names = "--verbose", description = "Print stack traces on failure.")
    boolean verbose;
}
