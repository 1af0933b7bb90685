package dev.shoal.controlplane.orchestrator.global;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
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
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Keeps one task of every global service on every node that may run it: in service (not drained,
 * not DOWN) and allowed by the service's constraints and platforms ({@link NodeFit}).
 *
 * <ul>
 *   <li>A node that fits and holds no task of the service gets one: slot 0, its node preset,
 *       desired RUNNING (the scheduler then checks resources and ports on that node only).</li>
 *   <li>A task on a node that no longer fits (drained, labels changed) gets desired SHUTDOWN; a task
 *       on a node that left the swarm gets desired REMOVE. A DOWN node keeps its task, which runs
 *       again when the node comes back.</li>
 * </ul>
 * A node's "slot" is the node ({@link Tasks.SlotKey}): its history is the service's tasks on it.
 */
public final class GlobalOrchestrator implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;

    public GlobalOrchestrator(ClusterStore store, Clock clock) {
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
            if (s.spec().modeKind() == ServiceMode.Kind.GLOBAL) {
                reconcile(s, byService.getOrDefault(s.id(), List.of()), view, now, changes);
            }
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    private static void reconcile(Service service, List<Task> tasks, StoreView view, Instant now, List<Change> changes) {
        Set<NodeId> held = new HashSet<>();
        for (Task t : tasks) {
            if (!Tasks.occupiesSlot(t) || t.nodeId() == null) {
                continue;
            }
            Node node = view.nodes().get(t.nodeId());
            if (node == null) {
                if (t.desiredState().isBefore(TaskState.REMOVE)) {
                    changes.add(Change.update(t.withDesiredState(TaskState.REMOVE, now)));
                }
            } else if (!fits(service, node)) {
                if (Tasks.isRunnable(t) && !isDown(node)) {
                    changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now)));
                }
            } else {
                held.add(t.nodeId());
            }
        }
        for (Node node : view.nodes().values()) {
            if (fits(service, node) && !isDown(node) && !held.contains(node.id())) {
                changes.add(Change.create(Tasks.newTask(service, new Tasks.SlotKey(0, node.id()), TaskState.RUNNING, now)));
            }
        }
    }

    private static boolean fits(Service service, Node node) {
        boolean drained = node.spec() != null && node.spec().availability() == NodeSpec.Availability.DRAIN;
        return !drained && NodeFit.allows(service.spec().taskTemplate(), node);
    }

    private static boolean isDown(Node node) {
        return node.status() != null && node.status().state() == NodeStatus.State.DOWN;
    }
}
