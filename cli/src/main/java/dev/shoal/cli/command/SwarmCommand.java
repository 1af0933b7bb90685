package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmUpdateRequest;
import dev.shoal.api.model.Swarm;
import dev.shoal.cli.format.InspectFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shoal swarm ca|init|inspect|join|join-token|leave|update}. */
@Command(name = "swarm", description = "Manage Swarm",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            SwarmCommand.Ca.class,
            SwarmInitCommand.class,
            SwarmCommand.Inspect.class,
            SwarmJoinCommand.class,
            SwarmJoinTokenCommand.class,
            SwarmCommand.Leave.class,
            SwarmCommand.Update.class,
        })
final class SwarmCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        Usage.print(spec);
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

    @Command(name = "update", description = "Update the swarm")
    static final class Update implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Mixin
        private SwarmSpecOptions settings;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                Swarm swarm = await(client.swarmInspect());
                await(client.call(Routes.SWARM_UPDATE,
                        new SwarmUpdateRequest(swarm.version().index(), settings.spec(), false, false, false), Swarm.class));
                daemon.output().println("Swarm updated.");
            }
            return 0;
        }
    }

    /**
     * {@code shoal swarm ca [--rotate] [-q]}: prints the root CA certificate nodes are issued from.
     * With {@code --rotate} a new root replaces it (the old one stays trusted until every node has
     * renewed) and both join tokens change, as their CA digest does.
     */
    @Command(name = "ca", description = "Display and rotate the root CA")
    static final class Ca implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = "--rotate",
                description = "Rotate the swarm CA - if no certificate or key are provided, new ones will be generated")
        private boolean rotate;

        @Option(names = {"-q", "--quiet"}, description = "Suppress progress output")
        private boolean quiet;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                Swarm swarm = await(client.swarmInspect());
                if (!rotate) {
                    daemon.output().println(rootCertificate(swarm));
                    return 0;
                }
                Swarm rotated = await(client.call(Routes.SWARM_UPDATE,
                        new SwarmUpdateRequest(swarm.version().index(), null, false, false, true), Swarm.class));
                if (!quiet) {
                    daemon.output().println("Rotated the root CA: nodes move to the new root as they renew their certificates;"
                            + " the old root stays trusted until then, and both join tokens have changed.");
                    daemon.output().println(rootCertificate(rotated));
                }
            }
            return 0;
        }

        /** The signing root; {@code TLSInfo.TrustRoot} (every trusted root) when the swarm shows no signing root. */
        static String rootCertificate(Swarm swarm) {
            if (swarm.rootCa() != null && swarm.rootCa().caCert() != null) {
                return swarm.rootCa().caCert().strip();
            }
            if (swarm.tlsInfo() != null && swarm.tlsInfo().trustRoot() != null) {
                return swarm.tlsInfo().trustRoot().strip();
            }
            throw new CliException("the swarm has no root CA yet");
        }
    }
}
