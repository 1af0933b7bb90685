package dev.shoal.controlplane.dispatcher;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.StoreView;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One agent's session: what has been sent to it, and the throttled sending of its assignment set.
 *
 * <p>The set is every task assigned to the node (observed ASSIGNED or later: a global task that
 * names its node from the start is held back while PENDING, until the scheduler has checked that
 * the node fits) whose observed state is not terminal, so it holds
 * both the tasks to run and those to stop (desired SHUTDOWN, REMOVE, ...); a task reported
 * terminal leaves it, which tells the agent to remove what is left of it. A set is sent only when
 * membership or a task's desired state or spec changed (the agent's own status reports do not
 * echo back), the first one at once and then at most one per {@code interval}, reading the
 * newest view when it is sent. Thread-safe: {@link #changed()} may be called from any thread.
 */
final class Session {
    private static final Comparator<Task> ORDER = Comparator.comparing(Task::serviceName)
            .thenComparingLong(Task::slot)
            .thenComparing(Task::id);

    final NodeId node;
    private final ClusterStore store;
    private final Scheduler work;
    private final long intervalNanos;
    private final Sinks.Many<Assignments> out = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicBoolean sendScheduled = new AtomicBoolean();
    private volatile long lastSentNanos;
    private volatile Assignments lastSent;
    // what the agent holds after the messages sent so far; guarded by this
    private java.util.Map<dev.shoal.api.id.TaskId, Task> held;
    private Assignments.NodeInfo heldInfo;
    private long heldHeartbeat;
    private long sequence;

    Session(NodeId node, ClusterStore store, Scheduler work, Duration interval) {
        this.node = node;
        this.store = store;
        this.work = work;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Assignment messages, in order: a complete set, then changes. None may be dropped (the agent
     * checks the sequence), so a slow reader gets a backlog; sending is throttled to one message
     * per interval, each carrying every change since the previous one.
     */
    Flux<Assignments> outbound() {
        return out.asFlux();
    }

    /** The node's assignments may have changed: send the set if they did, within the interval. */
    void changed() {
        if (sendScheduled.compareAndSet(false, true)) {
            long wait = lastSent == null ? 0 : lastSentNanos + intervalNanos - work.now(TimeUnit.NANOSECONDS);
            try {
                work.schedule(this::send, Math.max(0, wait), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the manager is stopping and ends this session
            }
        }
    }

    /** Ends the session: with {@code error} as the agent's reason, or normally when null. Idempotent. */
    synchronized void end(Throwable error) {
        // emissions are serialized by this monitor; a session already ended ignores the call
        if (error == null) {
            out.tryEmitComplete();
        } else {
            out.tryEmitError(error);
        }
    }

    private synchronized void send() {
        sendScheduled.set(false);
        StoreView view = store.view();
        long heartbeat = view.swarm() == null ? SwarmSpec.DEFAULT_HEARTBEAT_NANOS : view.swarm().spec().heartbeatPeriodNanos();
        List<Task> current = assignmentsOf(node, view);
        Assignments.NodeInfo info = nodeInfo(node, view);
        Assignments next;
        if (held == null) {
            next = new Assignments(heartbeat, ++sequence, true, current, List.of(), info);
        } else {
            List<Task> changed = current.stream().filter(t -> changedForTheAgent(held.get(t.id()), t)).toList();
            Set<TaskId> now = new HashSet<>();
            current.forEach(t -> now.add(t.id()));
            List<TaskId> removed = held.keySet().stream().filter(id -> !now.contains(id)).sorted().toList();
            boolean infoChanged = !Objects.equals(info, heldInfo);
            if (changed.isEmpty() && removed.isEmpty() && !infoChanged && heartbeat == heldHeartbeat) {
                return;
            }
            next = new Assignments(heartbeat, ++sequence, false, changed, removed, infoChanged ? info : null);
        }
        held = new HashMap<>();
        current.forEach(t -> held.put(t.id(), t));
        heldInfo = info;
        heldHeartbeat = heartbeat;
        lastSent = next;
        lastSentNanos = work.now(TimeUnit.NANOSECONDS);
        out.tryEmitNext(next);
    }

    /** The role the swarm wants the node in, the managers to dial, and the roots to trust. */
    static Assignments.NodeInfo nodeInfo(NodeId node, StoreView view) {
        Node n = view.nodes().get(node);
        String role = n == null || n.spec() == null || n.spec().role() == null ? null : n.spec().role().wireName();
        List<String> managers = view.nodes().values().stream()
                .filter(m -> m.managerStatus() != null && m.managerStatus().addr() != null)
                .map(m -> m.managerStatus().addr())
                .sorted()
                .toList();
        String trust = view.swarm() == null || view.swarm().tlsInfo() == null ? null : view.swarm().tlsInfo().trustRoot();
        return new Assignments.NodeInfo(role, managers, trust);
    }

    static List<Task> assignmentsOf(NodeId node, StoreView view) {
        return view.tasks().values().stream()
                .filter(t -> node.equals(t.nodeId()) && !t.state().isBefore(TaskState.ASSIGNED) && !t.state().isTerminal())
                .sorted(ORDER)
                .toList();
    }

    /** A task the agent does not hold yet, or whose desired state or spec changed: something it acts on. */
    private static boolean changedForTheAgent(Task before, Task now) {
        return before == null || before.desiredState() != now.desiredState() || !Objects.equals(before.spec(), now.spec());
    }
}
