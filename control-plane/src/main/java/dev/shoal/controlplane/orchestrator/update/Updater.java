package dev.shoal.controlplane.orchestrator.update;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Service;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Rolls a service onto its new task template with Docker's default update config: parallelism 1,
 * no delay, order stop-first, failure action pause.
 *
 * <p>A slot is outdated when the task holding it ({@link Tasks#occupiesSlot}) was made from another
 * template. One pass replaces at most one slot, lowest first, in one transaction: the old task's
 * desired state becomes SHUTDOWN and a new task is created in the slot, desired READY while the old
 * one may still run (the restart supervisor starts it once the old one has stopped: stop-first)
 * and RUNNING otherwise. The next slot follows when no up-to-date task of the service is still on
 * its way to RUNNING.
 *
 * <p>Failure action pause: when an up-to-date task created since the service was last updated has
 * FAILED or been REJECTED, the update stops until the service is updated again. Everything is
 * derived from the store, so a new leader resumes (or stays paused) where the old one was.
 */
public final class Updater implements Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Updater.class);

    private final ClusterStore store;
    private final Clock clock;

    public Updater(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.SERVICE || e.kind() == Kind.TASK || e.kind() == Kind.NODE;
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        Map<ServiceId, List<Task>> byService = Tasks.byService(view);
        List<Change> changes = new ArrayList<>();
        for (Service service : view.services().values()) {
            update(service, byService.getOrDefault(service.id(), List.of()), view, now, changes);
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    private static void update(Service service, List<Task> tasks, StoreView view, Instant now, List<Change> changes) {
        TreeMap<Long, List<Task>> slots = Tasks.bySlot(tasks);
        Long outdated = null;
        for (var e : slots.entrySet()) {
            if (e.getValue().stream().anyMatch(t -> Tasks.occupiesSlot(t) && Tasks.isDirty(t, service))) {
                outdated = e.getKey();
                break;
            }
        }
        if (outdated == null) {
            return;
        }
        boolean inProgress = false;
        for (Task t : tasks) {
            if (Tasks.isDirty(t, service)) {
                continue;
            }
            if (Tasks.isRunnable(t) && t.state().isBefore(TaskState.RUNNING) && !Tasks.hasEnded(t, view)) {
                inProgress = true;
            }
            if ((t.state() == TaskState.FAILED || t.state() == TaskState.REJECTED)
                    && service.updatedAt() != null && t.createdAt() != null && !t.createdAt().isBefore(service.updatedAt())) {
                log.debug("update of service {} paused: task {} {}", service.spec().name(), t.id(), t.state().wireName());
                return;
            }
        }
        if (inProgress) {
            return;
        }
        List<Task> slot = slots.get(outdated);
        boolean oldMayRun = false;
        for (Task t : slot) {
            if (Tasks.occupiesSlot(t)) {
                changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now)));
                oldMayRun |= Tasks.mayBeRunning(t, view);
            }
        }
        changes.add(Change.create(Tasks.newTask(service, outdated, oldMayRun ? TaskState.READY : TaskState.RUNNING, now)));
    }
}
