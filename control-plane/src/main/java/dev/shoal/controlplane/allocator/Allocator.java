package dev.shoal.controlplane.allocator;

import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
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
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Moves every task that is meant to run from NEW to PENDING ("pending task scheduling"), all of a
 * pass in one transaction. Tasks that are no longer meant to run stay NEW; the task reaper deletes
 * them.
 */
public final class Allocator implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;

    public Allocator(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.TASK && e.after() instanceof Task t && t.state() == TaskState.NEW;
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        for (Task t : view.tasks().values()) {
            if (t.state() == TaskState.NEW && Tasks.isRunnable(t)) {
                changes.add(Change.update(t.withStatus(TaskStatus.of(TaskState.PENDING, "pending task scheduling", now), now)));
            }
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }
}
