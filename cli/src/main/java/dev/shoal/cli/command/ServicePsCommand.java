package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;
import static dev.shoal.cli.command.DaemonConnection.awaitAll;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal service ps [OPTIONS] SERVICE [SERVICE...]}: the tasks of services, slot by slot,
 * the current task first and its history under it ({@code \_ web.1}), as Docker prints them.
 */
@Command(name = "ps", description = "List the tasks of one or more services")
final class ServicePsCommand implements Callable<Integer> {
    private static final Set<String> FILTERS = Set.of("desired-state", "node", "id", "name");

    @Mixin
    private DaemonConnection daemon;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
            description = "Filter output based on conditions provided: desired-state=running|shutdown|accepted, node=NODE, id=ID, name=NAME")
    private List<String> filters = new ArrayList<>();

    @Mixin
    private TaskListOptions output;

    @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
    private List<String> services;

    @Override
    public Integer call() {
        Filters f = Filters.parse(spec, filters, FILTERS);
        List<String> desired = TaskTable.desiredStates(spec, f);
        if (f.values("node").size() > 1) {
            throw new ParameterException(spec.commandLine(), "invalid argument for \"-f, --filter\" flag: give node= once");
        }
        String node = f.values("node").isEmpty() ? null : f.values("node").getFirst();
        try (ShoalClient client = daemon.connect()) {
            List<Task> tasks = new ArrayList<>();
            for (String ref : services) {
                Service s = await(client.serviceInspect(ref));
                tasks.addAll(awaitAll(client.taskList(new TaskFilter(s.id().value(), node, desired))));
            }
            TaskTable.print(daemon, client, TaskTable.select(tasks, f), output.quiet, output.format, output.noTrunc);
        }
        return 0;
    }

    static boolean isUp(Node n) {
        return n.status() == null || n.status().state() != dev.shoal.api.model.NodeStatus.State.DOWN;
    }
}
