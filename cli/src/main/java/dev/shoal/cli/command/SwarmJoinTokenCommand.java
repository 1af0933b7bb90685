package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmUpdateRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Swarm;
import dev.shoal.cli.console.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal swarm join-token [-q] [--rotate] (worker|manager)}: prints the command that joins a
 * node with that role, or with {@code -q} the token alone. {@code --rotate} first replaces the
 * token; the old one is refused from then on.
 */
@Command(name = "join-token", description = "Manage join tokens",
        customSynopsis = "shoal swarm join-token [OPTIONS] (worker|manager)")
final class SwarmJoinTokenCommand implements Callable<Integer> {
    static final String WORKER = "worker";
    static final String MANAGER = "manager";

    @Mixin
    private DaemonConnection daemon;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-q", "--quiet"}, description = "Only display token")
    private boolean quiet;

    @Option(names = "--rotate", description = "Rotate join token")
    private boolean rotate;

    @Parameters(index = "0", paramLabel = "(worker|manager)", description = "The role of the nodes that join with the token")
    private String role;

    @Override
    public Integer call() {
        if (!WORKER.equals(role) && !MANAGER.equals(role)) {
            throw new ParameterException(spec.commandLine(), "unknown role " + role + ": must be worker or manager");
        }
        boolean worker = WORKER.equals(role);
        Output out = daemon.output();
        try (ShoalClient client = daemon.connect()) {
            if (rotate) {
                Swarm swarm = await(client.swarmInspect());
                await(client.call(Routes.SWARM_UPDATE,
                        new SwarmUpdateRequest(swarm.version().index(), null, worker, !worker, false), Swarm.class));
                if (!quiet) {
                    out.println("Successfully rotated " + role + " join token.");
                    out.println("");
                }
            }
            if (quiet) {
                out.println(token(await(client.swarmInspect()), role));
                return 0;
            }
            printJoinCommand(client, out, role);
        }
        return 0;
    }

    /**
     * Docker's "To add a worker to this swarm, run the following command:" paragraph, with this
     * node's manager address and the current token of {@code role}.
     */
    static void printJoinCommand(ShoalClient client, Output out, String role) {
        Node self = await(client.nodeInspect("self"));
        if (self.managerStatus() == null) {
            throw new CliException("This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state."
                    + " Please run this command on a manager node or promote the current node to a manager.");
        }
        Swarm swarm = await(client.swarmInspect());
        out.println("To add a " + role + " to this swarm, run the following command:");
        out.println("");
        out.println("    shoal swarm join --token " + token(swarm, role) + " " + self.managerStatus().addr());
        out.println("");
    }

    private static String token(Swarm swarm, String role) {
        if (swarm.joinTokens() == null) {
            throw new CliException("the swarm has no join tokens yet");
        }
        return WORKER.equals(role) ? swarm.joinTokens().worker() : swarm.joinTokens().manager();
    }
}
