package dev.shoal.controlplane.testing;

import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.store.StoreView;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Queries over a view that tests use again and again. */
public final class Views {
    private Views() {}

    /** The tasks of the service named {@code service}, by slot then oldest first. */
    public static List<Task> tasksOf(StoreView v, String service) {
        return v.tasks().values().stream()
                .filter(t -> t.serviceName().equals(service))
                .sorted(Comparator.comparingLong(Task::slot).thenComparing(Task::createdAt).thenComparing(Task::id))
                .toList();
    }

    public static List<Task> tasks(StoreView v, String service, Predicate<Task> p) {
        return tasksOf(v, service).stream().filter(p).toList();
    }

    public static Predicate<Task> desired(TaskState s) {
        return t -> t.desiredState() == s;
    }

    public static Predicate<Task> observed(TaskState s) {
        return t -> t.state() == s;
    }

    /** A one-line summary of the tasks, for failure messages. */
    public static String describe(StoreView v) {
        return "index " + v.index() + ", nodes " + v.nodes().values().stream()
                .map(n -> n.id().shortForm() + "=" + (n.status() == null ? "?" : n.status().state().wireName()))
                .collect(Collectors.joining(",", "[", "]"))
                + ", tasks " + v.tasks().values().stream()
                .sorted(Comparator.comparing(Task::serviceName).thenComparingLong(Task::slot).thenComparing(Task::createdAt))
                .map(t -> t.serviceName() + "." + t.slot() + ":" + t.state().wireName() + "/" + t.desiredState().wireName()
                        + (t.nodeId() == null ? "" : "@" + t.nodeId().shortForm()))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
