package dev.shoal.controlplane.orchestrator.taskreaper;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.orchestrator.Tasks;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Deletes the tasks nobody needs any more.
 *
 * <ul>
 *   <li>A task whose service is gone gets desired REMOVE (the API does this when it removes a
 *       service; this catches a task created concurrently with the removal).</li>
 *   <li>A task with desired REMOVE is deleted once it has stopped: observed state terminal, never
 *       assigned, or its node DOWN or gone. (The node's assignment set is complete, so a node that
 *       comes back stops and removes what is no longer in it.)</li>
 *   <li>A slot keeps at most the swarm's {@link SwarmSpec#taskHistoryLimit()} tasks (Docker's
 *       {@code --task-history-limit}, default 5), counting the one that holds it: the oldest
 *       stopped tasks with desired SHUTDOWN or later are deleted first. Tasks that still count
 *       against the slot's restart MaxAttempts are kept, so the limit never resets the count.</li>
 * </ul>
 */
public final class TaskReaper implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;

    public TaskReaper(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.TASK || e.kind() == Kind.SERVICE || e.kind() == Kind.NODE || e.kind() == Kind.SWARM;
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        long limit = view.swarm() == null ? SwarmSpec.DEFAULT_TASK_HISTORY : view.swarm().spec().taskHistoryLimit();
        List<Change> changes = new ArrayList<>();
        Set<TaskId> deleted = new HashSet<>();
        for (Task t : view.tasks().values()) {
            boolean serviceGone = !view.services().containsKey(t.serviceId());
            if (t.desiredState() == TaskState.REMOVE || serviceGone) {
                if (!Tasks.mayBeRunning(t, view)) {
                    changes.add(Change.delete(t));
                    deleted.add(t.id());
                } else if (t.desiredState().isBefore(TaskState.REMOVE)) {
                    changes.add(Change.update(t.withDesiredState(TaskState.REMOVE, now)));
                }
            }
        }
        if (limit >= 0) {
            for (Map.Entry<ServiceId, List<Task>> e : Tasks.byService(view).entrySet()) {
                if (view.services().containsKey(e.getKey())) {
                    for (List<Task> slot : Tasks.bySlot(e.getValue()).values()) {
                        trimHistory(slot, limit, view, now, deleted, changes);
                    }
                }
            }
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    private static void trimHistory(List<Task> slot, long limit, StoreView view, Instant now, Set<TaskId> deleted, List<Change> changes) {
        List<Task> kept = slot.stream().filter(t -> !deleted.contains(t.id())).sorted(Tasks.NEWEST_FIRST).toList();
        long excess = kept.size() - limit;
        if (excess <= 0) {
            return;
        }
        Set<TaskId> counted = new HashSet<>();
        kept.stream().filter(Tasks::isRunnable).findFirst().ifPresent(current -> {
            RestartPolicy p = current.spec() == null ? RestartPolicy.DEFAULT : current.spec().restartPolicyOrDefault();
            if (p.maxAttempts() > 0) {
                Tasks.restartAttempts(kept, current.spec(), now).stream()
                        .limit(p.maxAttempts())
                        .forEach(t -> counted.add(t.id()));
            }
        });
        for (Task t : kept.reversed()) {
            if (excess == 0) {
                break;
            }
            if (!t.desiredState().isBefore(TaskState.SHUTDOWN) && !Tasks.mayBeRunning(t, view) && !counted.contains(t.id())) {
                changes.add(Change.delete(t));
                excess--;
            }
        }
    }
}
