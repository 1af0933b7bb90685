package dev.shoal.controlplane.orchestrator.update;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.controlplane.orchestrator.Tasks;
import dev.shoal.controlplane.orchestrator.Tasks.SlotKey;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Rolls a service onto its current task template, with its {@code UpdateConfig}, or, while its
 * update status is a rollback, with its {@code RollbackConfig} (Docker's defaults for unset fields:
 * parallelism 1, no delay, failure action pause, monitor 5 s, max failure ratio 0, stop-first).
 *
 * <p>A slot (a slot number, or a node for a global service: {@link SlotKey}) is <em>outdated</em>
 * while a task made from another template holds it, and <em>in flight</em> while its new task has
 * not reached RUNNING, or (start-first) while the old one still runs beside it. Each pass:
 * <ol>
 *   <li>counts the failures of the update: its tasks (made from the current template since the
 *       update started) that ended by themselves within {@code Monitor} of their creation; above
 *       {@code MaxFailureRatio} of the slots, the failure action applies: {@code pause} writes
 *       PAUSED (ROLLBACK_PAUSED) and stops until the next update, {@code rollback} returns the
 *       service to its previous spec (ROLLBACK_STARTED) and rolls that out, {@code continue}
 *       goes on;</li>
 *   <li>finishes start-first slots: the old task is told to stop once the new one runs, so the
 *       service never has fewer running tasks than replicas;</li>
 *   <li>starts as many outdated slots as {@code Parallelism} leaves room for (0: all), lowest
 *       first; with a {@code Delay}, a batch starts only once the previous one is running and the
 *       delay has passed since. Stop-first: the old task is told to stop and the new one is created
 *       held (desired READY) until it has stopped (the restart supervisor starts it); start-first:
 *       the new one is created desired RUNNING beside the old one;</li>
 *   <li>once no slot is outdated or in flight and the update's tasks have run for {@code Monitor},
 *       writes COMPLETED (ROLLBACK_COMPLETED).</li>
 * </ol>
 * Everything is read from the store (the update's start is {@code UpdateStatus.StartedAt}), so a
 * new leader continues, or stays paused, where the old one was; a newer update simply changes the
 * template the slots are measured against. Jobs are not rolled (an update starts a new run), and a
 * rebalance ({@code ServiceSpec.Rebalance}) is the rebalancer's.
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
        Instant wake = null;
        for (Service service : view.services().values()) {
            ServiceMode.Kind kind = service.spec().modeKind();
            if (kind == ServiceMode.Kind.REPLICATED_JOB || kind == ServiceMode.Kind.GLOBAL_JOB) {
                continue;
            }
            Instant w = new Pass(service, byService.getOrDefault(service.id(), List.of()), view, now, changes).run();
            wake = w == null || (wake != null && wake.isBefore(w)) ? wake : w;
        }
        return Commits.inBatches(store, changes).then(Mono.justOrEmpty(wake));
    }

    /** One service in one pass. */
    private static final class Pass {
        private final Service service;
        private final List<Task> tasks;
        private final StoreView view;
        private final Instant now;
        private final List<Change> changes;
        private final UpdateStatus status;
        private final boolean rollback;
        private final UpdateConfig config;
        private final Instant since;

        Pass(Service service, List<Task> tasks, StoreView view, Instant now, List<Change> changes) {
            this.service = service;
            this.tasks = tasks;
            this.view = view;
            this.now = now;
            this.changes = changes;
            this.status = service.updateStatus();
            this.rollback = status != null && status.state().isRollback();
            this.config = UpdateConfig.orDefault(rollback ? service.spec().rollbackConfig() : service.spec().updateConfig());
            this.since = status != null && status.startedAt() != null ? status.startedAt()
                    : service.updatedAt() != null ? service.updatedAt() : Instant.MIN;
        }

        /** @return when to look again, or null */
        Instant run() {
            if (status != null && status.state().isPaused()) {
                return null;
            }
            List<Task> ours = tasks.stream().filter(t -> !Tasks.isDirty(t, service) && !t.createdAt().isBefore(since)).toList();
            List<Task> failed = ours.stream().filter(this::failedInMonitor).toList();
            int slots = Tasks.bySlotKey(tasks.stream().filter(Tasks::occupiesSlot).toList()).size();
            boolean updating = status != null && status.state().isInProgress();
            if (updating && !failed.isEmpty() && failed.size() > config.maxFailureRatio() * Math.max(1, slots)
                    && config.failureAction() != UpdateConfig.FailureAction.CONTINUE) {
                fail(failed.getFirst());
                return null;
            }
            List<SlotKey> outdated = new ArrayList<>();
            int inFlight = 0;
            Instant lastRunning = null;
            for (var e : Tasks.bySlotKey(tasks).entrySet()) {
                List<Task> holding = e.getValue().stream().filter(Tasks::occupiesSlot).toList();
                if (holding.isEmpty()) {
                    continue;
                }
                List<Task> old = holding.stream().filter(t -> Tasks.isDirty(t, service)).toList();
                List<Task> fresh = holding.stream().filter(t -> !Tasks.isDirty(t, service)).toList();
                if (fresh.isEmpty()) {
                    outdated.add(e.getKey());
                    continue;
                }
                boolean running = fresh.stream().anyMatch(t -> t.state() == TaskState.RUNNING);
                if (running && !old.isEmpty()) {
                    // start-first: the new task runs, the old one may stop now
                    old.forEach(t -> changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now))));
                }
                if (!running && fresh.stream().anyMatch(t -> !Tasks.hasEnded(t, view))) {
                    inFlight++;
                }
                for (Task t : fresh) {
                    if (t.state() == TaskState.RUNNING && !t.createdAt().isBefore(since) && t.status().timestamp() != null
                            && (lastRunning == null || t.status().timestamp().isAfter(lastRunning))) {
                        lastRunning = t.status().timestamp();
                    }
                }
            }
            if (!outdated.isEmpty()) {
                return startBatch(outdated, inFlight, lastRunning);
            }
            if (inFlight > 0 || status == null || !status.state().isInProgress() || rebalancePending()) {
                return null;
            }
            Instant verified = ours.stream().filter(Tasks::isRunnable).map(t -> t.createdAt().plusNanos(config.monitor()))
                    .max(Instant::compareTo).orElse(now);
            if (verified.isAfter(now)) {
                return verified;
            }
            UpdateStatus.State done = rollback ? UpdateStatus.State.ROLLBACK_COMPLETED : UpdateStatus.State.COMPLETED;
            changes.add(Change.update(service.withUpdateStatus(new UpdateStatus(done, status.startedAt(), now,
                    rollback ? "rollback completed" : "update completed"))));
            return null;
        }

        private Instant startBatch(List<SlotKey> outdated, int inFlight, Instant lastRunning) {
            long parallelism = config.parallelism() == 0 ? Long.MAX_VALUE : config.parallelism();
            if (config.delay() > 0) {
                if (inFlight > 0) {
                    return null;
                }
                Instant due = lastRunning == null ? now : lastRunning.plusNanos(config.delay());
                if (due.isAfter(now)) {
                    return due;
                }
            }
            long room = parallelism - inFlight;
            boolean startFirst = config.order() == UpdateConfig.Order.START_FIRST;
            for (SlotKey key : outdated) {
                if (room-- <= 0) {
                    break;
                }
                boolean oldMayRun = false;
                for (Task t : tasks) {
                    if (SlotKey.of(t).equals(key) && Tasks.occupiesSlot(t)) {
                        if (!startFirst) {
                            changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now)));
                        }
                        oldMayRun |= Tasks.mayBeRunning(t, view);
                    }
                }
                TaskState desired = !startFirst && oldMayRun ? TaskState.READY : TaskState.RUNNING;
                changes.add(Change.create(Tasks.newTask(service, key, desired, now)));
            }
            return null;
        }

        /** A task of this update that ended by itself (or was refused) within Monitor of its creation. */
        private boolean failedInMonitor(Task t) {
            if (!Tasks.endedByItself(t)) {
                return false;
            }
            Instant ended = t.status().timestamp() == null ? now : t.status().timestamp();
            return !ended.isAfter(t.createdAt().plusNanos(config.monitor()));
        }

        private void fail(Task failed) {
            String why = "due to failure or early termination of task " + failed.id().value();
            if (!rollback && config.failureAction() == UpdateConfig.FailureAction.ROLLBACK && service.previousSpec() != null) {
                log.info("service {}: update rolled back {}", service.spec().name(), why);
                changes.add(Change.update(service.rolledBack(new UpdateStatus(UpdateStatus.State.ROLLBACK_STARTED, now, null,
                        "update rolled back " + why), now)));
                return;
            }
            UpdateStatus.State paused = rollback ? UpdateStatus.State.ROLLBACK_PAUSED : UpdateStatus.State.PAUSED;
            log.info("service {}: {} paused {}", service.spec().name(), rollback ? "rollback" : "update", why);
            changes.add(Change.update(service.withUpdateStatus(new UpdateStatus(paused,
                    status == null ? now : status.startedAt(), null, (rollback ? "rollback" : "update") + " paused " + why))));
        }

        private boolean rebalancePending() {
            long done = service.rebalanced() == null ? 0 : service.rebalanced();
            return service.spec().rebalanceOrZero() != done;
        }
    }
}
