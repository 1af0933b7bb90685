package dev.shoal.controlplane.orchestrator.restart;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Applies restart policies (Docker's {@code --restart-condition}, {@code --restart-delay},
 * {@code --restart-max-attempts}, {@code --restart-window}).
 *
 * <p>A task meant to run (desired RUNNING or READY) that has ended — observed COMPLETE, FAILED,
 * REJECTED or a SHUTDOWN nobody asked for, or its node is DOWN or gone — is handled in one
 * transaction: when the policy says restart, its desired state becomes SHUTDOWN and a replacement
 * is created in the same slot; when it says no (condition {@code none}, {@code on-failure} after a
 * clean exit, or MaxAttempts reached), its desired state becomes COMPLETE, which keeps the slot
 * taken so that nothing refills it. Attempts are the slot's tasks of the same template that ended
 * by themselves within the window: derived from the store, so a new leader counts the same.
 *
 * <p>A replacement with a restart delay is created with desired READY (the node prepares it) and
 * moved to RUNNING once {@code createdAt + delay} has passed on the manager's clock. The same
 * promotion starts the held tasks of a stop-first update, as soon as the task they replace has
 * stopped (or after {@link #OLD_TASK_TIMEOUT}). Like swarmkit, no delay applies when the old task's
 * node is drained, and a task still running on a drained node is shut down and replaced at once
 * (the scheduler places the replacement on an active node).
 */
public final class RestartSupervisor implements Reconciler {
    /** How long a held task waits for the task it replaces to stop before it starts anyway (swarmkit's). */
    public static final Duration OLD_TASK_TIMEOUT = Duration.ofMinutes(1);

    private final ClusterStore store;
    private final Clock clock;

    public RestartSupervisor(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.TASK || e.kind() == Kind.NODE;
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        Instant wake = null;
        Map<ServiceId, List<Task>> byService = Tasks.byService(view);
        for (Service service : view.services().values()) {
            boolean global = service.spec().modeKind() == ServiceMode.Kind.GLOBAL || service.spec().modeKind() == ServiceMode.Kind.GLOBAL_JOB;
            for (List<Task> slot : Tasks.bySlotKey(byService.getOrDefault(service.id(), List.of())).values()) {
                for (Task t : slot) {
                    if (!Tasks.isRunnable(t)) {
                        continue;
                    }
                    if (global && !t.state().isTerminal() && Tasks.isOnLostNode(t, view)) {
                        // a global task belongs to its node: it runs again when the node is back,
                        // and the global orchestrator removes it if the node leaves for good
                        continue;
                    }
                    if (!global && !t.state().isTerminal() && t.nodeId() != null && onDrainedNode(t, view)) {
                        // drain: the task moves whatever its restart policy says, at once
                        changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now)));
                        changes.add(Change.create(replacement(service, t, TaskState.RUNNING, now)));
                        continue;
                    }
                    if (Tasks.hasEnded(t, view)) {
                        // A held task that ended while being prepared (a missing image is REJECTED at
                        // prepare time) has not waited out its delay yet: replacing it at once would
                        // loop without any delay, writing to the log several times a second.
                        if (t.desiredState() == TaskState.READY) {
                            Instant due = heldUntil(t, slot, view, now);
                            if (due.isAfter(now)) {
                                wake = wake == null || due.isBefore(wake) ? due : wake;
                                continue;
                            }
                        }
                        restart(service, t, slot, view, now, changes);
                    } else if (t.desiredState() == TaskState.READY) {
                        Instant due = heldUntil(t, slot, view, now);
                        if (due.isAfter(now)) {
                            wake = wake == null || due.isBefore(wake) ? due : wake;
                        } else {
                            changes.add(Change.update(t.withDesiredState(TaskState.RUNNING, now)));
                        }
                    }
                }
            }
        }
        return Commits.inBatches(store, changes).then(Mono.justOrEmpty(wake));
    }

    private static void restart(Service service, Task ended, List<Task> slot, StoreView view, Instant now, List<Change> changes) {
        boolean restart = shouldRestart(ended, slot, now);
        changes.add(Change.update(ended.withDesiredState(restart ? TaskState.SHUTDOWN : TaskState.COMPLETE, now)));
        if (restart) {
            boolean delayed = !restartDelay(service.spec().taskTemplate()).isZero() && !onDrainedNode(ended, view);
            changes.add(Change.create(replacement(service, ended, delayed ? TaskState.READY : TaskState.RUNNING, now)));
        }
    }

    /** A new task for the slot (or node) of {@code ended}, in the same run of a job. */
    private static Task replacement(Service service, Task ended, TaskState desired, Instant now) {
        return Tasks.newTask(service, Tasks.SlotKey.of(ended), desired, now).withJobIteration(ended.jobIteration());
    }

    private static boolean shouldRestart(Task ended, List<Task> slot, Instant now) {
        RestartPolicy policy = policyOf(ended.spec());
        boolean byCondition = switch (policy.condition()) {
            case ANY -> true;
            case ON_FAILURE -> ended.state() != TaskState.COMPLETE;
            case NONE -> false;
        };
        if (!byCondition || policy.maxAttempts() == 0) {
            return byCondition;
        }
        List<Task> earlier = slot.stream().filter(t -> !t.id().equals(ended.id())).toList();
        return Tasks.restartAttempts(earlier, ended.spec(), now).size() < policy.maxAttempts();
    }

    /**
     * When a held task may start: its restart delay after its creation when the task it replaces
     * ended by itself or lost its node, and not before that task has stopped (at most
     * {@link #OLD_TASK_TIMEOUT} after the held task's creation).
     */
    private static Instant heldUntil(Task held, List<Task> slot, StoreView view, Instant now) {
        Instant created = held.createdAt() == null ? now : held.createdAt();
        Instant due = created;
        Task previous = slot.stream().filter(t -> !t.id().equals(held.id())).min(Tasks.NEWEST_FIRST).orElse(null);
        if (previous != null && (Tasks.endedByItself(previous) || Tasks.isOnLostNode(previous, view)) && !onDrainedNode(previous, view)) {
            due = created.plus(restartDelay(held.spec()));
        }
        boolean replacedStillRuns = slot.stream().anyMatch(t -> !t.id().equals(held.id()) && Tasks.mayBeRunning(t, view));
        if (replacedStillRuns) {
            Instant timeout = created.plus(OLD_TASK_TIMEOUT);
            due = timeout.isAfter(due) ? timeout : due;
        }
        return due;
    }

    private static RestartPolicy policyOf(TaskSpec spec) {
        return spec == null ? RestartPolicy.DEFAULT : spec.restartPolicyOrDefault();
    }

    private static Duration restartDelay(TaskSpec spec) {
        return policyOf(spec).delayDuration();
    }

    private static boolean onDrainedNode(Task t, StoreView view) {
        Node n = t.nodeId() == null ? null : view.nodes().get(t.nodeId());
        return n != null && n.spec() != null && n.spec().availability() == NodeSpec.Availability.DRAIN;
    }
}
