package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SystemInfo;
import dev.shoal.cli.ShoalVersion;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code shoal version}: the client's version, then the daemon's, as {@code docker version}. The
 * client part is printed even when no daemon answers (then the command fails after it).
 */
@Command(name = "version", description = "Show the Shoal version information")
final class VersionCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Override
    public Integer call() {
        daemon.output().printLines(List.of(
                "Client:",
                " Version:           " + ShoalVersion.version(),
                " Java version:      " + Runtime.version(),
                " OS/Arch:           " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch"),
                ""));
        try (ShoalClient client = daemon.connect()) {
            SystemInfo info = await(client.info());
            daemon.output().printLines(List.of(
                    "Server:",
                    " Engine:",
                    "  Version:          " + info.version(),
                    "  Executor:         " + info.executor()));
        }
        return 0;
    }
}
