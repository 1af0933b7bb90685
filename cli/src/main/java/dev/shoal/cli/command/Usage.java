package dev.shoal.cli.command;

import picocli.CommandLine.Model.CommandSpec;

/** Prints a command's usage: what a group such as {@code shoal service} does when run alone. */
final class Usage {
    private Usage() {}

    static void print(CommandSpec spec) {
        ShoalCommand root = (ShoalCommand) spec.root().userObject();
        spec.commandLine().usage(root.context().output().out());
        root.context().output().out().flush();
    }
}
