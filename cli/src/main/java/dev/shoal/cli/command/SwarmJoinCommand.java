package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmJoinRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal swarm join --token TOKEN HOST:PORT}: joins the swarm of the manager at HOST:PORT;
 * the token decides the role. The daemon answers once the node holds its certificate and has
 * started its agent (and, for a manager, its Raft member), so the role printed is the one it has.
 */
@Command(name = "join", description = "Join a swarm as a node and/or manager")
final class SwarmJoinCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Option(names = "--token", paramLabel = "TOKEN", required = true, description = "Token for entry into the swarm")
    private String token;

    @Option(names = "--listen-addr", paramLabel = "ADDR",
            description = "Listen address (format: <ip>[:port]) (default 0.0.0.0:2377)")
    private String listenAddr;

    @Option(names = "--advertise-addr", paramLabel = "ADDR",
            description = "Advertised address (format: <ip>[:port])")
    private String advertiseAddr;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "Address of a manager of the swarm (port 2377 when omitted)")
    private String remoteAddr;

    @Override
    public Integer call() {
        try (ShoalClient client = daemon.connect()) {
            await(client.call(Routes.SWARM_JOIN, new SwarmJoinRequest(List.of(remoteAddr), token, listenAddr, advertiseAddr), Map.class));
            boolean manager = await(client.info()).controlAvailable();
            daemon.output().println("This node joined a swarm as a " + (manager ? "manager." : "worker."));
        }
        return 0;
    }
}
