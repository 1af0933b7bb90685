package dev.shoal.controlplane.orchestrator.rebalance;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.UpdateStatus;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Shoal's {@code service update --rebalance}, asked for by Swarm users (a swarm never moves running
 * tasks to nodes that joined later). When a replicated service's {@code Rebalance} counter is above
 * the one it was last balanced for, tasks move from the nodes with the most tasks of the service
 * to the eligible nodes (ready, active, allowed by the placement) with the fewest, until the counts
 * differ by at most one: a replacement is created in the task's slot (the scheduler puts it on a
 * least-loaded node, as the old task still counts where it runs), and the old task is told to stop
 * only once the replacement runs, so the service never has fewer running tasks. At most the update
 * config's parallelism move at once. Then {@code Rebalanced} is written with the status
 * {@code completed}.
 */
public final class Rebalancer implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;

    public Rebalancer(ClusterStore store, Clock clock) {
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
        for (Service s : view.services().values()) {
            long done = s.rebalanced() == null ? 0 : s.rebalanced();
            if (s.spec().modeKind() == ServiceMode.Kind.REPLICATED && s.spec().rebalanceOrZero() != done) {
                rebalance(s, byService.getOrDefault(s.id(), List.of()), view, now, changes);
            }
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    private static void rebalance(Service s, List<Task> tasks, StoreView view, Instant now, List<Change> changes) {
        int moving = 0;
        Map<NodeId, List<Task>> onNode = new HashMap<>();
        for (List<Task> slot : Tasks.bySlot(tasks).values()) {
            List<Task> holding = slot.stream().filter(Tasks::isRunnable).sorted(Tasks.NEWEST_FIRST).toList();
            if (holding.size() > 1) {
                // a move in flight: once the newest runs, the others stop
                if (holding.getFirst().state() == TaskState.RUNNING) {
                    holding.subList(1, holding.size()).forEach(t -> changes.add(Change.update(t.withDesiredState(TaskState.SHUTDOWN, now))));
                } else {
                    moving++;
                }
                continue;
            }
            if (holding.size() == 1 && holding.getFirst().nodeId() != null) {
                onNode.computeIfAbsent(holding.getFirst().nodeId(), k -> new ArrayList<>()).add(holding.getFirst());
            } else if (holding.size() == 1) {
                moving++;
            }
        }
        List<NodeId> eligible = view.nodes().values().stream()
                .filter(n -> n.isReady() && (n.spec() == null || n.spec().availability() == null || n.spec().availability() == NodeSpec.Availability.ACTIVE))
                .filter(n -> NodeFit.allows(s.spec().taskTemplate(), n))
                .map(Node::id)
                .sorted()
                .toList();
        if (eligible.isEmpty()) {
            return;
        }
        eligible.forEach(n -> onNode.putIfAbsent(n, new ArrayList<>()));
        List<NodeId> byLoad = onNode.keySet().stream()
                .sorted(Comparator.comparingInt((NodeId n) -> -onNode.get(n).size()).thenComparing(Comparator.naturalOrder()))
                .toList();
        int most = onNode.get(byLoad.getFirst()).size();
        int fewest = eligible.stream().mapToInt(n -> onNode.get(n).size()).min().orElse(0);
        if (moving == 0 && most - fewest <= 1 && onNode.keySet().stream().allMatch(eligible::contains)) {
            long target = s.spec().rebalanceOrZero();
            UpdateStatus st = s.updateStatus();
            changes.add(Change.update(s.withRebalanced(target).withUpdateStatus(new UpdateStatus(UpdateStatus.State.COMPLETED,
                    st == null ? now : st.startedAt(), now, "rebalance completed"))));
            return;
        }
        long parallelism = UpdateConfig.orDefault(s.spec().updateConfig()).parallelism();
        long room = (parallelism == 0 ? Long.MAX_VALUE : parallelism) - moving;
        // move from the most loaded nodes (and from nodes no longer eligible) while the gap stays above one
        Map<NodeId, Integer> counts = new HashMap<>();
        onNode.forEach((n, l) -> counts.put(n, l.size()));
        while (room > 0) {
            NodeId from = counts.keySet().stream()
                    .filter(n -> counts.get(n) > 0)
                    .max(Comparator.comparingInt((NodeId n) -> eligible.contains(n) ? counts.get(n) : Integer.MAX_VALUE).thenComparing(Comparator.naturalOrder()))
                    .orElse(null);
            if (from == null) {
                break;
            }
            NodeId to = eligible.stream().min(Comparator.comparingInt((NodeId n) -> counts.get(n)).thenComparing(Comparator.naturalOrder())).orElseThrow();
            boolean stranded = !eligible.contains(from) && counts.get(from) > 0;
            if (!stranded && counts.get(from) - counts.get(to) <= 1) {
                break;
            }
            Task t = onNode.get(from).removeLast();
            changes.add(Change.create(Tasks.newTask(s, t.slot(), TaskState.RUNNING, now)));
            counts.merge(from, -1, Integer::sum);
            counts.merge(to, 1, Integer::sum);
            room--;
        }
    }
}
