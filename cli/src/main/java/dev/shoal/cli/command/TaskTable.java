package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.awaitAll;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.cli.format.Listing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code service ps} and {@code node ps} share: the {@code desired-state}, {@code id} and
 * {@code name} filters, the order (service, slot, newest first, so that a slot's history follows
 * its current task) and the printing of the table, {@code -q} or {@code --format}.
 */
final class TaskTable {
    /** Service, then slot, then newest first: {@link ServiceRows#tasks} relies on it. */
    static final Comparator<Task> ORDER = Comparator.comparing(Task::serviceName)
            .thenComparing(t -> t.serviceId().value())
            .thenComparingLong(Task::slot)
            .thenComparing(t -> t.createdAt() == null ? Instant.EPOCH : t.createdAt(), Comparator.reverseOrder());

    private TaskTable() {}

    /** The {@code desired-state=} values, each checked; null when the filter was not used. */
    static List<String> desiredStates(CommandSpec spec, Filters f) {
        List<String> desired = f.values("desired-state");
        for (String d : desired) {
            try {
                TaskState.fromWire(d);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(),
                        "invalid argument \"desired-state=" + d + "\" for \"-f, --filter\" flag: " + e.getMessage());
            }
        }
        return desired.isEmpty() ? null : desired;
    }

    /** The tasks that pass the {@code id} and {@code name} filters, in {@link #ORDER}. */
    static List<Task> select(List<Task> tasks, Filters f) {
        List<Task> selected = new ArrayList<>(tasks);
        selected.removeIf(t -> !f.matches("id", v -> t.id().value().startsWith(v))
                || !f.matches("name", v -> (t.serviceName() + "." + t.slot()).equals(v) || t.serviceName().equals(v)));
        selected.sort(ORDER);
        return selected;
    }

    /** Task ids with {@code quiet}, else the table (or {@code format}) with node hostnames. */
    static void print(DaemonConnection daemon, ShoalClient client, List<Task> sorted, boolean quiet, String format, boolean noTrunc) {
        if (quiet) {
            daemon.output().printLines(sorted.stream().map(t -> t.id().value()).toList());
            return;
        }
        Map<String, String> hostnames = awaitAll(client.nodeList()).stream()
                .collect(Collectors.toMap(n -> n.id().value(), NodeRows::hostname, (a, b) -> a));
        Listing listing = ServiceRows.tasks(sorted, hostnames, daemon.context().clock().instant(), noTrunc);
        daemon.output().printLines(FormatOption.render(() -> listing.render(format)));
    }
}
