package dev.shoal.controlplane.orchestrator.constraintenforcer;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Service;
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
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Shuts down the tasks a node may no longer run after its labels, role or platform changed
 * (swarmkit's constraint enforcer): a task meant to run whose template's constraints or platforms
 * no longer allow its node gets desired SHUTDOWN, and its orchestrator replaces it on a node that
 * fits. Global services are left to the global orchestrator, which applies the same rule per node.
 */
public final class ConstraintEnforcer implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;

    public ConstraintEnforcer(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.NODE && e.action() == StoreEvent.Action.UPDATE;
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        for (Task t : view.tasks().values()) {
            if (t.nodeId() == null || !Tasks.isRunnable(t) || t.state().isTerminal()) {
                continue;
            }
            Service s = view.services().get(t.serviceId());
            Node node = view.nodes().get(t.nodeId());
            if (s == null || node == null || s.spec().modeKind() == ServiceMode.Kind.GLOBAL) {
                continue;
            }
            if (!NodeFit.allows(t.spec(), node)) {
                changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now)
                        .withStatus(t.status().withErr("the node no longer satisfies the placement constraints"), now)));
            }
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }
}
