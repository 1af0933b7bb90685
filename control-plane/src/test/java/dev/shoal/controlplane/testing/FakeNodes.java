package dev.shoal.controlplane.testing;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.reconcile.Reconciler;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.Kind;
import dev.shoal.controlplane.store.StoreEvent;
import dev.shoal.controlplane.store.StoreView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * Plays the nodes (and, given a {@code node}, the scheduler) for orchestrator tests, as a
 * reconciler: a task meant to run and not placed yet goes to {@code node} (null: the real
 * scheduler places it); a placed task told to run is reported in the state {@code outcome} gives
 * (RUNNING, COMPLETE for a job that finished, FAILED); a task told to stop is reported SHUTDOWN.
 * One step per task and pass, so every state is committed and seen.
 */
public final class FakeNodes implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;
    private final NodeId node;
    private final Function<Task, TaskState> outcome;

    public FakeNodes(ClusterStore store, Clock clock, NodeId node, Function<Task, TaskState> outcome) {
        this.store = store;
        this.clock = clock;
        this.node = node;
        this.outcome = outcome;
    }

    /** Every task runs, or fails when {@code fails} says so. */
    public static FakeNodes failing(ClusterStore store, Clock clock, NodeId node, Predicate<TaskSpec> fails) {
        return new FakeNodes(store, clock, node, t -> fails.test(t.spec()) ? TaskState.FAILED : TaskState.RUNNING);
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.TASK;
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        for (Task t : view.tasks().values()) {
            TaskState d = t.desiredState();
            if (t.state().isTerminal()) {
                continue;
            }
            if (d.isTerminal()) {
                changes.add(Change.update(t.withStatus(TaskStatus.of(TaskState.SHUTDOWN, "shutdown", now), now)));
            } else if (t.state().isBefore(TaskState.ASSIGNED)) {
                if (t.nodeId() == null && node != null) {
                    changes.add(Change.update(t.withNode(node, TaskStatus.of(TaskState.ASSIGNED, "assigned", now), now)));
                }
            } else if (d == TaskState.RUNNING && t.state() != TaskState.RUNNING) {
                TaskState end = outcome.apply(t);
                changes.add(Change.update(end == TaskState.FAILED
                        ? t.withStatus(new TaskStatus(now, TaskState.FAILED, "failed", "task: non-zero exit (1)", null), now)
                        : t.withStatus(TaskStatus.of(end, end.wireName(), now), now)));
            }
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }
}
