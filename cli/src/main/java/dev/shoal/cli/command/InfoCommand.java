package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SystemInfo;
import dev.shoal.cli.ShoalVersion;
import dev.shoal.cli.format.InspectFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shoal info}: what the daemon is and whether it is in a swarm, laid out as {@code docker info}. */
@Command(name = "info", description = "Display system-wide information")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "Format output: 'json' or a Go-style template such as '{{.Swarm}}'")
    private String format;

    @Override
    public Integer call() {
        try (ShoalClient client = daemon.connect()) {
            SystemInfo info = await(client.info());
            if (format != null) {
                daemon.output().printLines(FormatOption.render(() -> InspectFormat.render(List.of(info), format)));
                return 0;
            }
            daemon.output().printLines(lines(info, daemon.host()));
        }
        return 0;
    }

    static List<String> lines(SystemInfo info, String host) {
        List<String> lines = new ArrayList<>();
        lines.add("Client:");
        lines.add(" Version:    " + ShoalVersion.version());
        lines.add(" Host:       " + host);
        lines.add("");
        lines.add("Server:");
        lines.add(" Server Version: " + info.version());
        lines.add(" Executor: " + info.executor());
        lines.add(" Swarm: " + info.localNodeState());
        lines.add("  NodeID: " + info.nodeId());
        if ("active".equals(info.localNodeState())) {
            lines.add("  Is Manager: " + info.controlAvailable());
            lines.add("  ClusterID: " + (info.swarmId() == null ? "" : info.swarmId()));
            lines.add("  Managers: " + info.managers());
            lines.add("  Nodes: " + info.nodes());
        }
        return lines;
    }
}
