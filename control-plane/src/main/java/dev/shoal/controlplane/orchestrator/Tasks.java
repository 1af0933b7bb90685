package dev.shoal.controlplane.orchestrator;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import dev.shoal.controlplane.store.StoreView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The rules about tasks that every orchestrator shares.
 *
 * <p>Desired states, as the orchestrators use them: RUNNING (run it), READY (prepare it but hold
 * the start: a restart delay or a stop-first update), COMPLETE (it ended and the restart policy
 * says leave it: the slot stays taken, nothing replaces it), SHUTDOWN (stop it; it is history now)
 * and REMOVE (stop it and delete it: its slot or service is gone). Every state after RUNNING means
 * "stop it" to a node.
 */
public final class Tasks {
    /** Newest first. */
    public static final Comparator<Task> NEWEST_FIRST =
            Comparator.comparing(Task::createdAt, Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(Task::id);

    private Tasks() {}

    /** A new task for {@code slot}, made from the service's current template, observed state NEW. */
    public static Task newTask(Service service, long slot, TaskState desired, Instant now) {
        return new Task(TaskId.random(), Version.ZERO, now, now, service.id(), service.spec().name(), slot, null,
                service.spec().taskTemplate(), service.version(), TaskStatus.of(TaskState.NEW, "created", now), desired);
    }

    /**
     * A new task for the slot {@code key} names: by number for replicated services, on its node
     * for the global modes (slot 0, node preset).
     */
    public static Task newTask(Service service, SlotKey key, TaskState desired, Instant now) {
        Task t = newTask(service, key.slot(), desired, now);
        return key.node() == null ? t : t.withNode(key.node(), t.status(), now);
    }

    /** Desired RUNNING or held back in READY: the task is meant to run. */
    public static boolean isRunnable(Task t) {
        return !t.desiredState().isTerminal();
    }

    /**
     * True when {@code t} holds its slot: it is meant to run, or it ended and its restart policy
     * says leave it (desired COMPLETE). A slot without such a task is free to refill.
     */
    public static boolean occupiesSlot(Task t) {
        return isRunnable(t) || t.desiredState() == TaskState.COMPLETE;
    }

    /** True when the task was made from another template than the service's current one. */
    public static boolean isDirty(Task t, Service service) {
        return !Objects.equals(t.spec(), service.spec().taskTemplate());
    }

    /** True when the task was assigned to a node that is DOWN or no longer in the swarm. */
    public static boolean isOnLostNode(Task t, StoreView view) {
        if (t.nodeId() == null) {
            return false;
        }
        Node n = view.nodes().get(t.nodeId());
        return n == null || (n.status() != null && n.status().state() == NodeStatus.State.DOWN);
    }

    /** True when the task will not run (again): its observed state is terminal or its node is lost. */
    public static boolean hasEnded(Task t, StoreView view) {
        return t.state().isTerminal() || isOnLostNode(t, view);
    }

    /** True when a container of the task may exist on a live node, so it has to be stopped there first. */
    public static boolean mayBeRunning(Task t, StoreView view) {
        return t.nodeId() != null && !t.state().isTerminal() && !isOnLostNode(t, view);
    }

    /** True when the task stopped on its own (exited or was refused), not because it was told to. */
    public static boolean endedByItself(Task t) {
        TaskState s = t.state();
        return s == TaskState.COMPLETE || s == TaskState.FAILED || s == TaskState.REJECTED;
    }

    /** The store's tasks grouped by service. */
    public static Map<ServiceId, List<Task>> byService(StoreView view) {
        Map<ServiceId, List<Task>> out = new HashMap<>();
        for (Task t : view.tasks().values()) {
            out.computeIfAbsent(t.serviceId(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /**
     * What a task stands in for: its slot number for replicated services and jobs, its node for the
     * global modes (slot 0). A slot's history is the tasks with the same key. Ordered by slot, then node.
     */
    public record SlotKey(long slot, NodeId node) implements Comparable<SlotKey> {
        private static final Comparator<SlotKey> ORDER = Comparator.comparingLong(SlotKey::slot)
                .thenComparing(SlotKey::node, Comparator.nullsFirst(Comparator.naturalOrder()));

        public static SlotKey of(Task t) {
            return t.slot() == 0 ? new SlotKey(0, t.nodeId()) : new SlotKey(t.slot(), null);
        }

        @Override
        public int compareTo(SlotKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** Tasks grouped by {@link SlotKey}: by slot for replicated services, by node for global ones. */
    public static TreeMap<SlotKey, List<Task>> bySlotKey(List<Task> tasks) {
        TreeMap<SlotKey, List<Task>> out = new TreeMap<>();
        for (Task t : tasks) {
            out.computeIfAbsent(SlotKey.of(t), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /** Tasks grouped by slot, in slot order. */
    public static TreeMap<Long, List<Task>> bySlot(List<Task> tasks) {
        TreeMap<Long, List<Task>> out = new TreeMap<>();
        for (Task t : tasks) {
            out.computeIfAbsent(t.slot(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /**
     * The tasks of a slot that count against a restart policy's MaxAttempts at {@code now}: those
     * made from {@code spec} that ended by themselves, within the policy's window. Derived from the
     * store alone, so a new leader counts the same attempts as the old one.
     */
    public static List<Task> restartAttempts(List<Task> slot, TaskSpec spec, Instant now) {
        RestartPolicy p = spec == null ? RestartPolicy.DEFAULT : spec.restartPolicyOrDefault();
        Instant since = p.window() > 0 ? now.minusNanos(p.window()) : Instant.MIN;
        List<Task> out = new ArrayList<>();
        for (Task t : slot) {
            if (endedByItself(t) && Objects.equals(t.spec(), spec)
                    && (t.status().timestamp() == null || !t.status().timestamp().isBefore(since))) {
                out.add(t);
            }
        }
        return out;
    }
}
