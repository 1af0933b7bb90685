package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;
import static dev.shoal.cli.command.DaemonConnection.awaitAll;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.NodeRemoveRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.cli.format.InspectFormat;
import dev.shoal.cli.format.Listing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal node demote|inspect|ls|promote|ps|rm|update}. */
@Command(name = "node", description = "Manage Swarm nodes",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            NodeCommand.Demote.class,
            NodeCommand.Inspect.class,
            NodeCommand.Ls.class,
            NodeCommand.Promote.class,
            NodePsCommand.class,
            NodeCommand.Rm.class,
            NodeUpdateCommand.class,
        })
final class NodeCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        Usage.print(spec);
    }

    @Command(name = "ls", aliases = "list", description = "List nodes in the swarm")
    static final class Ls implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "Format output: 'table' (default), 'json', or a Go-style template such as 'table {{.ID}}\\t{{.Hostname}}'")
        private String format;

        @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
        private boolean quiet;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                String self = await(client.info()).nodeId();
                List<Node> nodes = new ArrayList<>(awaitAll(client.nodeList()));
                nodes.sort(Comparator.comparing(NodeRows::hostname).thenComparing(n -> n.id().value()));
                if (quiet) {
                    daemon.output().printLines(nodes.stream().map(n -> n.id().value()).toList());
                    return 0;
                }
                Listing listing = NodeRows.listing(nodes, self);
                daemon.output().printLines(FormatOption.render(() -> listing.render(format)));
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more nodes")
    static final class Inspect implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
                description = "Format output: 'json' or a Go-style template such as '{{.Status.State}}'")
        private String format;

        @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix or hostname; 'self' for this node")
        private List<String> refs;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                List<Node> nodes = new ArrayList<>();
                for (String ref : refs) {
                    nodes.add(await(client.nodeInspect(ref)));
                }
                daemon.output().printLines(FormatOption.render(() -> InspectFormat.render(nodes, format)));
            }
            return 0;
        }
    }

    @Command(name = "promote", description = "Promote one or more nodes to manager in the swarm")
    static final class Promote implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix or hostname")
        private List<String> refs;

        @Override
        public Integer call() {
            return changeRole(daemon, refs, NodeSpec.Role.MANAGER, "manager", ref -> "Node " + ref + " promoted to a manager in the swarm.");
        }
    }

    @Command(name = "demote", description = "Demote one or more nodes from manager in the swarm")
    static final class Demote implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix or hostname")
        private List<String> refs;

        @Override
        public Integer call() {
            return changeRole(daemon, refs, NodeSpec.Role.WORKER, "worker", ref -> "Manager " + ref + " demoted in the swarm.");
        }
    }

    /** Sets each node's role, saying so as Docker does; a node already in the role is left alone. */
    private static int changeRole(DaemonConnection daemon, List<String> refs, NodeSpec.Role role, String roleName,
                                  java.util.function.Function<String, String> done) {
        try (ShoalClient client = daemon.connect()) {
            for (String ref : refs) {
                boolean changed = NodeUpdateCommand.update(client, ref, node -> {
                    NodeSpec spec = NodeUpdateCommand.spec(node);
                    if (spec.role() == role) {
                        daemon.output().println("Node " + node.id() + " is already a " + roleName + ".");
                        return null;
                    }
                    return NodeUpdateCommand.withRole(spec, role);
                });
                if (changed) {
                    daemon.output().println(done.apply(ref));
                }
            }
        }
        return 0;
    }

    /** Removes each node named; a failure on one does not stop the others, and makes the exit code 1. */
    @Command(name = "rm", aliases = "remove", description = "Remove one or more nodes from the swarm")
    static final class Rm implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = {"-f", "--force"}, description = "Force remove a node from the swarm")
        private boolean force;

        @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix or hostname")
        private List<String> refs;

        @Override
        public Integer call() {
            return daemon.forEach(refs, (client, ref) -> client.call(Routes.NODE_REMOVE, new NodeRemoveRequest(ref, force), Map.class));
        }
    }
}
