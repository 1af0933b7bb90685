package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;
import static dev.shoal.cli.command.DaemonConnection.awaitAll;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal node ps [OPTIONS] [NODE...]}: the tasks assigned to nodes ({@code self} when none is
 * named), in the table of {@code service ps}.
 */
@Command(name = "ps", description = "List tasks running on one or more nodes, defaults to current node")
final class NodePsCommand implements Callable<Integer> {
    private static final Set<String> FILTERS = Set.of("desired-state", "id", "name");

    @Mixin
    private DaemonConnection daemon;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
            description = "Filter output based on conditions provided: desired-state=running|shutdown|accepted, id=ID, name=NAME")
    private List<String> filters = new ArrayList<>();

    @Mixin
    private TaskListOptions output;

    @Parameters(arity = "0..*", paramLabel = "NODE", description = "Node id, id prefix or hostname (default: self)")
    private List<String> refs = new ArrayList<>();

    @Override
    public Integer call() {
        Filters f = Filters.parse(spec, filters, FILTERS);
        List<String> desired = TaskTable.desiredStates(spec, f);
        try (ShoalClient client = daemon.connect()) {
            Map<String, Task> tasks = new LinkedHashMap<>(); // a node named twice lists its tasks once
            for (String ref : refs.isEmpty() ? List.of("self") : refs) {
                Node node = await(client.nodeInspect(ref));
                awaitAll(client.taskList(new TaskFilter(null, node.id().value(), desired))).forEach(t -> tasks.put(t.id().value(), t));
            }
            TaskTable.print(daemon, client, TaskTable.select(List.copyOf(tasks.values()), f), output.quiet, output.format, output.noTrunc);
        }
        return 0;
    }
}
