package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;
import static dev.shoal.cli.command.DaemonConnection.awaitAll;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Node;
import dev.shoal.cli.format.InspectFormat;
import dev.shoal.cli.format.Listing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal node ls|inspect}. */
@Command(name = "node", description = "Manage Swarm nodes",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {NodeCommand.Ls.class, NodeCommand.Inspect.class})
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
}
