package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.cli.console.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code shoal swarm init [OPTIONS]}: makes this node a one-manager swarm (or, with
 * {@code --force-new-cluster}, a new one-manager Raft group from a manager's state), then prints
 * the command a worker runs to join, as Docker does.
 */
@Command(name = "init", description = "Initialize a swarm")
final class SwarmInitCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Spec
    private CommandSpec spec;

    @Option(names = "--advertise-addr", paramLabel = "ADDR",
            description = "Advertised address (format: <ip>[:port])")
    private String advertiseAddr;

    @Option(names = "--listen-addr", paramLabel = "ADDR",
            description = "Listen address (format: <ip>[:port]) (default 0.0.0.0:2377)")
    private String listenAddr;

    @Option(names = "--force-new-cluster", description = "Force create a new cluster from current state")
    private boolean forceNewCluster;

    @Mixin
    private SwarmSpecOptions settings;

    @Option(names = "--ca-cert", paramLabel = "PEM-FILE", converter = Converters.PemFileConverter.class,
            description = "Path to the PEM-formatted root CA certificate to use for the new cluster")
    private String caCert;

    @Option(names = "--ca-key", paramLabel = "PEM-FILE", converter = Converters.PemFileConverter.class,
            description = "Path to the PEM-formatted root CA key to use for the new cluster")
    private String caKey;

    @Override
    public Integer call() {
        if (caCert != null && caKey == null) {
            throw new ParameterException(spec.commandLine(), "--ca-key is required with --ca-cert: the swarm's CA signs with it");
        }
        if (caKey != null && caCert == null) {
            throw new ParameterException(spec.commandLine(), "--ca-cert is required with --ca-key");
        }
        try (ShoalClient client = daemon.connect()) {
            await(client.swarmInit(new SwarmInitRequest(listenAddr, advertiseAddr, settings.spec(), forceNewCluster, caCert, caKey)));
            String nodeId = await(client.info()).nodeId();
            Output out = daemon.output();
            out.println("Swarm initialized: current node (" + nodeId + ") is now a manager.");
            out.println("");
            SwarmJoinTokenCommand.printJoinCommand(client, out, SwarmJoinTokenCommand.WORKER);
            out.println("To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.");
            out.println("");
        }
        return 0;
    }
}
