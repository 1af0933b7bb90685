package dev.shoal.controlplane.dispatcher;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.StoreView;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One agent's session: what has been sent to it, and the throttled sending of its assignment set.
 *
 * <p>The set is every task assigned to the node whose observed state is not terminal, so it holds
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

    Session(NodeId node, ClusterStore store, Scheduler work, Duration interval) {
        this.node = node;
        this.store = store;
        this.work = work;
        this.intervalNanos = interval.toNanos();
    }

    /** Assignment sets; an agent that reads slowly gets the newest one, not a backlog. */
    Flux<Assignments> outbound() {
        return out.asFlux().onBackpressureLatest();
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
        Assignments next = new Assignments(heartbeat, assignmentsOf(node, view));
        if (lastSent != null && sameForTheAgent(lastSent, next)) {
            return;
        }
        lastSent = next;
        lastSentNanos = work.now(TimeUnit.NANOSECONDS);
        out.tryEmitNext(next);
    }

    static List<Task> assignmentsOf(NodeId node, StoreView view) {
        return view.tasks().values().stream()
                .filter(t -> node.equals(t.nodeId()) && !t.state().isTerminal())
                .sorted(ORDER)
                .toList();
    }

    /** Same tasks with the same desired states and specs: nothing the agent would act on. */
    private static boolean sameForTheAgent(Assignments a, Assignments b) {
        if (a.heartbeatPeriodNanos() != b.heartbeatPeriodNanos() || a.tasks().size() != b.tasks().size()) {
            return false;
        }
        for (int i = 0; i < a.tasks().size(); i++) {
            Task x = a.tasks().get(i);
            Task y = b.tasks().get(i);
            if (!x.id().equals(y.id()) || x.desiredState() != y.desiredState() || !Objects.equals(x.spec(), y.spec())) {
                return false;
            }
        }
        return true;
    }
}
