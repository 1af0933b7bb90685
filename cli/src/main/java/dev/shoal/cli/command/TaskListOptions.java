package dev.shoal.cli.command;

import picocli.CommandLine.Option;

/** The output flags of {@code service ps} and {@code node ps}. */
final class TaskListOptions {
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Format output: 'table' (default), 'json', or a Go-style template such as 'table {{.Name}}\\t{{.CurrentState}}'")
    String format;

    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display task IDs")
    boolean quiet;
}
