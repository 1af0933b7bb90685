package dev.shoal.controlplane.orchestrator.jobs;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.JobStatus;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.orchestrator.NodeFit;
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
import java.util.Objects;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Runs job services to completion (Docker's {@code replicated-job} and {@code global-job}).
 *
 * <p>A run of a job is an <em>iteration</em>: it starts when the job is created and again each time
 * its spec is updated ({@code Service.UpdatedAt} moves past {@code JobStatus.LastExecution}); the
 * orchestrator then writes a new {@link JobStatus} whose {@code JobIteration} is the service's
 * version, and every task it creates carries it. Tasks of an earlier iteration that still run are
 * told to stop.
 *
 * <ul>
 *   <li>Replicated job: slots 1..{@code TotalCompletions}; a slot is done when a task of the
 *       iteration completed in it (exit 0). At most {@code MaxConcurrent} tasks run at once; free
 *       slots are started lowest first.</li>
 *   <li>Global job: one completion per node that is in service and fits the placement.</li>
 * </ul>
 * Tasks are created desired RUNNING; when one exits, the restart supervisor applies the job's
 * restart policy (on-failure unless set): a success leaves it desired COMPLETE, holding its slot,
 * a failure is retried. Everything is derived from the store.
 */
public final class JobOrchestrator implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;

    public JobOrchestrator(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.SERVICE || e.kind() == Kind.NODE || (e.kind() == Kind.TASK && e.action() != StoreEvent.Action.CREATE);
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        Map<ServiceId, List<Task>> byService = Tasks.byService(view);
        List<Change> changes = new ArrayList<>();
        for (Service s : view.services().values()) {
            ServiceMode.Kind kind = s.spec().modeKind();
            if (kind != ServiceMode.Kind.REPLICATED_JOB && kind != ServiceMode.Kind.GLOBAL_JOB) {
                continue;
            }
            List<Task> tasks = byService.getOrDefault(s.id(), List.of());
            JobStatus status = s.jobStatus();
            if (status == null || status.lastExecution() == null || (s.updatedAt() != null && s.updatedAt().isAfter(status.lastExecution()))) {
                // a new iteration: recorded first; its tasks follow on the next pass
                changes.add(Change.update(s.withJobStatus(new JobStatus(s.version(), now))));
                for (Task t : tasks) {
                    if (Tasks.isRunnable(t)) {
                        changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now)));
                    }
                }
                continue;
            }
            List<Task> current = new ArrayList<>();
            for (Task t : tasks) {
                if (Objects.equals(t.jobIteration(), status.jobIteration())) {
                    current.add(t);
                } else if (Tasks.isRunnable(t)) {
                    changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now)));
                }
            }
            if (kind == ServiceMode.Kind.REPLICATED_JOB) {
                replicated(s, status, current, now, changes);
            } else {
                global(s, status, current, view, now, changes);
            }
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    private static void replicated(Service s, JobStatus status, List<Task> tasks, Instant now, List<Change> changes) {
        ServiceMode.ReplicatedJob job = s.spec().mode().replicatedJob();
        long total = job.totalCompletions() == null ? 1 : job.totalCompletions();
        long max = job.maxConcurrent() == null ? 1 : job.maxConcurrent();
        Set<Long> held = new HashSet<>();
        long running = 0;
        for (Task t : tasks) {
            if (Tasks.occupiesSlot(t)) {
                held.add(t.slot());
                if (Tasks.isRunnable(t)) {
                    running++;
                }
            }
        }
        for (long slot = 1; slot <= total && running < max; slot++) {
            if (!held.contains(slot)) {
                changes.add(Change.create(Tasks.newTask(s, slot, TaskState.RUNNING, now).withJobIteration(status.jobIteration())));
                running++;
            }
        }
    }

    private static void global(Service s, JobStatus status, List<Task> tasks, StoreView view, Instant now, List<Change> changes) {
        Set<NodeId> held = new HashSet<>();
        for (Task t : tasks) {
            if (Tasks.occupiesSlot(t) && t.nodeId() != null) {
                held.add(t.nodeId());
            }
        }
        for (Node node : view.nodes().values()) {
            boolean drained = node.spec() != null && node.spec().availability() == NodeSpec.Availability.DRAIN;
            boolean down = node.status() != null && node.status().state() == NodeStatus.State.DOWN;
            if (!drained && !down && !held.contains(node.id()) && NodeFit.allows(s.spec().taskTemplate(), node)) {
                changes.add(Change.create(Tasks.newTask(s, new Tasks.SlotKey(0, node.id()), TaskState.RUNNING, now)
                        .withJobIteration(status.jobIteration())));
            }
        }
    }
}
