package dev.shoal.controlplane.scheduler;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.Node;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Assigns PENDING tasks to nodes.
 *
 * <p>For each PENDING task that is meant to run (oldest first), the nodes that pass the
 * {@link FilterPipeline} are ranked by fewest tasks of the same service, then fewest active tasks,
 * then node id; the first gets the task (node id set, state ASSIGNED). Counts include the
 * assignments made earlier in the same pass, so a burst spreads evenly. All assignments of a pass
 * are committed together ({@link Commits#MAX_BATCH} per transaction): a 50-replica service is one
 * commit.
 *
 * <p>A task no node may run stays PENDING with {@link TaskStatus#err()} saying why, e.g.
 * {@code no suitable node (1 node not available for new tasks)}; the explanation is written only
 * when it changes. Any change of a node or a new PENDING task starts a pass, so the task is placed
 * as soon as a node fits.
 */
public final class Scheduler implements Reconciler {
    private static final Comparator<Task> OLDEST_FIRST = Comparator
            .comparing(Task::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Task::serviceId)
            .thenComparingLong(Task::slot)
            .thenComparing(Task::id);

    private final ClusterStore store;
    private final Clock clock;
    private final FilterPipeline pipeline;

    public Scheduler(ClusterStore store, Clock clock, FilterPipeline pipeline) {
        this.store = store;
        this.clock = clock;
        this.pipeline = pipeline;
    }

    public Scheduler(ClusterStore store, Clock clock) {
        this(store, clock, FilterPipeline.defaults());
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.NODE || (e.kind() == Kind.TASK && e.after() instanceof Task t && t.state() == TaskState.PENDING);
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        List<Task> pending = view.tasks().values().stream()
                .filter(t -> t.state() == TaskState.PENDING && t.nodeId() == null && Tasks.isRunnable(t))
                .sorted(OLDEST_FIRST)
                .toList();
        if (pending.isEmpty()) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        List<NodeInfo> nodes = nodeInfos(view);
        List<Change> changes = new ArrayList<>();
        for (Task t : pending) {
            List<NodeInfo> eligible = pipeline.eligible(t, nodes);
            if (eligible.isEmpty()) {
                String why = pipeline.explain(t, nodes);
                if (!Objects.equals(why, t.status().err())) {
                    changes.add(Change.update(t.withStatus(t.status().withErr(why), now)));
                }
                continue;
            }
            NodeInfo best = eligible.stream()
                    .min(Comparator.comparingInt((NodeInfo n) -> n.tasksOf(t.serviceId()))
                            .thenComparingInt(NodeInfo::activeTasks)
                            .thenComparing(n -> n.node().id()))
                    .orElseThrow();
            best.add(t);
            changes.add(Change.update(t.withNode(best.node().id(),
                    new TaskStatus(now, TaskState.ASSIGNED, "scheduler assigned task to node", null, null), now)));
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    private static List<NodeInfo> nodeInfos(StoreView view) {
        Map<NodeId, NodeInfo> infos = new HashMap<>();
        for (Node n : view.nodes().values()) {
            infos.put(n.id(), new NodeInfo(n));
        }
        for (Task t : view.tasks().values()) {
            NodeInfo info = t.nodeId() == null ? null : infos.get(t.nodeId());
            if (info != null && Tasks.isRunnable(t) && !t.state().isTerminal()) {
                info.add(t);
            }
        }
        return infos.values().stream().sorted(Comparator.comparing(n -> n.node().id())).toList();
    }
}
