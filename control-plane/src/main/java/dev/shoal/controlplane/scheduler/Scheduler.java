package dev.shoal.controlplane.scheduler;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * Assigns PENDING tasks to nodes.
 *
 * <p>For each PENDING task that is meant to run (oldest first), the nodes that pass the
 * {@link FilterPipeline} (ready, active, resources, constraints, platform, host-mode ports, max
 * replicas per node) are narrowed by the task's placement preferences in order, swarmkit's
 * decision tree: {@code spread} keeps the group of nodes sharing a value of the attribute that has
 * the fewest tasks of the service, {@code avoid} (Shoal's soft anti-affinity) keeps the nodes with
 * the fewest tasks of the named service. Among what is left the task goes to the node with the
 * fewest tasks of its service, then the fewest tasks, then the lowest node id. Counts include the
 * assignments made earlier in the same pass, so a burst spreads evenly; all assignments of a pass
 * are committed together ({@link Commits#MAX_BATCH} per transaction).
 *
 * <p>A task of a global service names its node from the start: it is only checked against that
 * node. A task no node may run stays PENDING with {@link TaskStatus#err()} saying why, e.g.
 * {@code no suitable node (2 nodes drained or paused; 1 node lacks 512 MiB of memory)}; the
 * explanation is written only when it changes. Any change of a node or a new PENDING task starts
 * a pass, so the task is placed as soon as a node fits.
 *
 * <p>Cost: the filters that depend only on the node and the template (ready, active, constraints,
 * platform) run once per template and node in a pass; per task only the stateful ones (resources,
 * ports, max replicas) and the ranking run over the nodes that passed.
 */
public final class Scheduler implements Reconciler {
    private static final Comparator<Task> OLDEST_FIRST = Comparator
            .comparing(Task::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Task::serviceId)
            .thenComparingLong(Task::slot)
            .thenComparing(Task::id);
    private static final FilterPipeline STATIC = new FilterPipeline(List.of(
            new ReadyFilter(), new AvailabilityFilter(), new ConstraintFilter(), new PlatformFilter()));
    private static final FilterPipeline STATEFUL = new FilterPipeline(List.of(
            new ResourceFilter(), new HostPortFilter(), new MaxReplicasFilter()));

    private final ClusterStore store;
    private final Clock clock;
    private final FilterPipeline pipeline;

    public Scheduler(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.pipeline = FilterPipeline.defaults();
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.NODE || (e.kind() == Kind.TASK && e.after() instanceof Task t && t.state() == TaskState.PENDING);
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        List<Task> pending = view.tasks().values().stream()
                .filter(t -> t.state() == TaskState.PENDING && Tasks.isRunnable(t))
                .sorted(OLDEST_FIRST)
                .toList();
        if (pending.isEmpty()) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        Map<ServiceId, Service> services = view.services();
        Map<String, ServiceId> byName = new HashMap<>();
        services.values().forEach(s -> byName.put(s.spec().name(), s.id()));
        Map<PlacingKey, Placing> placings = new HashMap<>();
        Map<NodeId, NodeInfo> infos = nodeInfos(view, placings, byName);
        List<NodeInfo> nodes = infos.values().stream().sorted(Comparator.comparing(n -> n.node().id())).toList();
        Map<PlacingKey, List<NodeInfo>> candidates = new HashMap<>();
        Map<PlacingKey, List<List<NodeInfo>>> spreadGroups = new HashMap<>();
        List<Change> changes = new ArrayList<>();
        for (Task t : pending) {
            Placing p = placing(t, services, placings, byName);
            String why;
            NodeInfo chosen;
            if (t.nodeId() != null) {
                NodeInfo own = infos.get(t.nodeId());
                chosen = own != null && pipeline.passes(p, own) ? own : null;
                why = chosen != null ? null : own == null ? "no suitable node (its node " + t.nodeId().value() + " left the swarm)"
                        : pipeline.explain(p, List.of(own));
            } else {
                PlacingKey key = PlacingKey.of(t);
                List<NodeInfo> fit = candidates.computeIfAbsent(key, k -> STATIC.eligible(p, nodes));
                if (p.isStateless() && !p.preferences().isEmpty() && p.preferences().getFirst().spread() != null) {
                    // the first spread's groups do not change within a pass: made once per template
                    List<List<NodeInfo>> groups = spreadGroups.computeIfAbsent(key,
                            k -> groups(p.preferences().getFirst().spread().spreadDescriptor(), fit));
                    chosen = choose(p, leastLoaded(p.service(), groups), 1);
                } else {
                    chosen = choose(p, p.isStateless() ? fit : STATEFUL.eligible(p, fit), 0);
                }
                why = chosen != null ? null : pipeline.explain(p, nodes);
            }
            if (chosen == null) {
                if (!Objects.equals(why, t.status().err())) {
                    changes.add(Change.update(t.withStatus(t.status().withErr(why), now)));
                }
                continue;
            }
            chosen.add(p);
            changes.add(Change.update(t.withNode(chosen.node().id(),
                    new TaskStatus(now, TaskState.ASSIGNED, "scheduler assigned task to node", null, null), now)));
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    /**
     * The node the preferences (from the {@code from}-th on) and the load counts pick among
     * {@code eligible}, or null when it is empty.
     */
    static NodeInfo choose(Placing p, List<NodeInfo> eligible, int from) {
        List<NodeInfo> left = eligible;
        for (int i = from; i < p.preferences().size() && left.size() > 1; i++) {
            Placement.Preference pref = p.preferences().get(i);
            if (pref.spread() != null) {
                left = leastLoadedGroup(p.service(), pref.spread().spreadDescriptor(), left);
            } else if (p.avoid().get(i) != null) {
                ServiceId avoid = p.avoid().get(i);
                int fewest = left.stream().mapToInt(n -> n.tasksOf(avoid)).min().orElse(0);
                left = left.stream().filter(n -> n.tasksOf(avoid) == fewest).toList();
            }
        }
        NodeInfo best = null;
        for (NodeInfo n : left) {
            if (best == null || better(p.service(), n, best)) {
                best = n;
            }
        }
        return best;
    }

    private static boolean better(ServiceId service, NodeInfo a, NodeInfo b) {
        int c = Integer.compare(a.tasksOf(service), b.tasksOf(service));
        if (c == 0) {
            c = Integer.compare(a.activeTasks(), b.activeTasks());
        }
        if (c == 0) {
            c = a.node().id().compareTo(b.node().id());
        }
        return c < 0;
    }

    /** The nodes of the attribute value whose nodes run the fewest tasks of {@code service} (ties: the lowest value; nodes without it last). */
    private static List<NodeInfo> leastLoadedGroup(ServiceId service, String attribute, List<NodeInfo> nodes) {
        return leastLoaded(service, groups(attribute, nodes));
    }

    /** {@code nodes} grouped by their value of {@code attribute}, in value order, nodes without it last. */
    private static List<List<NodeInfo>> groups(String attribute, List<NodeInfo> nodes) {
        TreeMap<String, List<NodeInfo>> groups = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (NodeInfo n : nodes) {
            groups.computeIfAbsent(Constraint.attribute(n.node(), attribute), k -> new ArrayList<>()).add(n);
        }
        return List.copyOf(groups.values());
    }

    /** The first of {@code groups} whose nodes run the fewest tasks of {@code service}; empty when there are none. */
    private static List<NodeInfo> leastLoaded(ServiceId service, List<List<NodeInfo>> groups) {
        List<NodeInfo> best = List.of();
        long bestCount = Long.MAX_VALUE;
        for (List<NodeInfo> g : groups) {
            long count = 0;
            for (NodeInfo n : g) {
                count += n.tasksOf(service);
            }
            if (count < bestCount) {
                bestCount = count;
                best = g;
            }
        }
        return best;
    }

    private static Placing placing(Task t, Map<ServiceId, Service> services, Map<PlacingKey, Placing> placings, Map<String, ServiceId> byName) {
        return placings.computeIfAbsent(PlacingKey.of(t), k -> Placing.of(t.serviceId(), t.spec(), services.get(t.serviceId()), byName::get));
    }

    /** Every node, with the tasks that run or are about to run on it counted in. */
    private static Map<NodeId, NodeInfo> nodeInfos(StoreView view, Map<PlacingKey, Placing> placings, Map<String, ServiceId> byName) {
        Map<NodeId, NodeInfo> infos = new LinkedHashMap<>();
        for (Node n : view.nodes().values()) {
            infos.put(n.id(), new NodeInfo(n));
        }
        for (Task t : view.tasks().values()) {
            NodeInfo info = t.nodeId() == null ? null : infos.get(t.nodeId());
            if (info != null && Tasks.isRunnable(t) && !t.state().isTerminal() && !t.state().isBefore(TaskState.ASSIGNED)) {
                info.add(placing(t, view.services(), placings, byName));
            }
        }
        return infos;
    }

    /** Tasks of one service made from one template place alike. */
    private record PlacingKey(ServiceId service, TaskSpec spec) {
        static PlacingKey of(Task t) {
            return new PlacingKey(t.serviceId(), t.spec());
        }
    }
}
