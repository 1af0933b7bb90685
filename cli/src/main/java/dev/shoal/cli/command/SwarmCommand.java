package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.SystemInfo;
import dev.shoal.api.model.Swarm;
import dev.shoal.cli.format.InspectFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shoal swarm init|inspect|leave}. */
@Command(name = "swarm", description = "Manage Swarm",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SwarmCommand.Init.class, SwarmCommand.Inspect.class, SwarmCommand.Leave.class})
final class SwarmCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        Usage.print(spec);
    }

    @Command(name = "init", description = "Initialize a swarm")
    static final class Init implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = "--advertise-addr", paramLabel = "ADDR",
                description = "Advertised address (format: <ip>[:port])")
        private String advertiseAddr;

        @Option(names = "--listen-addr", paramLabel = "ADDR",
                description = "Listen address (format: <ip>[:port]) (default 0.0.0.0:2377)")
        private String listenAddr;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                await(client.swarmInit(new SwarmInitRequest(listenAddr, advertiseAddr, null)));
                SystemInfo info = await(client.info());
                daemon.output().println("Swarm initialized: current node (" + info.nodeId() + ") is now a manager.");
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on the swarm")
    static final class Inspect implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
                description = "Format output using a custom template: 'json' or a Go-style template such as '{{.ID}}'")
        private String format;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                Swarm swarm = await(client.swarmInspect());
                daemon.output().printLines(FormatOption.render(() -> InspectFormat.render(List.of(swarm), format)));
            }
            return 0;
        }
    }

    @Command(name = "leave", description = "Leave the swarm")
    static final class Leave implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = {"-f", "--force"}, description = "Force this node to leave the swarm, ignoring warnings")
        private boolean force;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                await(client.swarmLeave(force));
                daemon.output().println("Node left the swarm.");
            }
            return 0;
        }
    }
}
