package dev.shoal.cli;

import dev.shoal.cli.command.CliContext;
import dev.shoal.cli.command.Converters;
import dev.shoal.cli.command.ErrorHandlers;
import dev.shoal.cli.command.ShoalCommand;
import dev.shoal.cli.console.Output;
import picocli.CommandLine;

/** The {@code shoal} program: parses the command line and runs the command. */
public final class ShoalMain {
    private ShoalMain() {}

    public static void main(String[] args) {
        int exit = execute(CliContext.of(Output.system(), System.getenv()), args);
        System.exit(exit);
    }

    /** Runs one command line and returns its exit code: 0, 1 (failure) or 2 (usage). */
    public static int execute(CliContext context, String... args) {
        return commandLine(context).execute(args);
    }

    /** The configured command line, for tests that inspect parsing. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new ShoalCommand(context))
                .setOut(context.output().out())
                .setErr(context.output().err())
                .setUsageHelpAutoWidth(true);
        Converters.register(cli);
        ErrorHandlers.install(cli, context.output());
        // as Docker: everything after IMAGE is the container's command, flags included
        cli.getSubcommands().get("service").getSubcommands().get("create").setStopAtPositional(true);
        return cli;
    }
}
