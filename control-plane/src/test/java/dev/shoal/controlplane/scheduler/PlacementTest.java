package dev.shoal.controlplane.scheduler;

import static dev.shoal.controlplane.testing.Views.observed;
import static dev.shoal.controlplane.testing.Views.tasks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.EndpointSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.Version;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.Loops;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.VirtualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every filter of the pipeline and every placement preference, one test each, on a real store. */
class PlacementTest {
    private static final long MIB = 1L << 20;
    private final VirtualClock clock = VirtualClock.create();
    private final Instant now = clock.instant();
    private TestStore store;
    private Loops loops;

    @BeforeEach
    void start() {
        store = TestStore.start();
        loops = new Loops(store.store(), clock).run(new Scheduler(store.store(), clock));
    }

    @AfterEach
    void stop() {
        loops.close();
        store.close();
    }

    private Node node(String host, Map<String, String> labels) {
        Node n = Fixtures.readyNode(host, now);
        return new Node(n.id(), n.version(), now, now, new NodeSpec(null, labels, NodeSpec.Role.WORKER, NodeSpec.Availability.ACTIVE),
                n.description(), n.status(), null);
    }

    private Node withResources(Node n, long nanoCpus, long memory) {
        NodeDescription d = n.description();
        return new Node(n.id(), n.version(), now, now, n.spec(),
                new NodeDescription(d.hostname(), d.platform(), new NodeDescription.Resources(nanoCpus, memory), d.engine(), d.executor()),
                n.status(), null);
    }

    private static ServiceSpec placed(String name, Placement p) {
        ServiceSpec s = Fixtures.spec(name, 1);
        return s.withTaskTemplate(s.taskTemplate().withPlacement(p));
    }

    private static ServiceSpec reserving(String name, long nanoCpus, long memory) {
        ServiceSpec s = Fixtures.spec(name, 1);
        return s.withTaskTemplate(s.taskTemplate().withResources(
                new ResourceRequirements(null, new ResourceRequirements.Resources(nanoCpus, memory, null))));
    }

    /** Commits {@code spec} as a service with {@code count} PENDING tasks (preset on {@code node} when not null). */
    private Service pending(ServiceSpec spec, int count, NodeId node) {
        Service s = Fixtures.service(spec, now).withVersion(new Version(1));
        List<Change> changes = new ArrayList<>(List.of(Change.create(s)));
        for (long slot = 1; slot <= count; slot++) {
            changes.add(Change.create(Fixtures.task(s, node == null ? slot : 0, TaskState.PENDING, TaskState.RUNNING, node, now)));
        }
        store.commit(changes);
        return s;
    }

    private StoreView assigned(String service, int n) {
        return store.await(n + " assigned tasks of " + service, v -> tasks(v, service, observed(TaskState.ASSIGNED)).size() == n);
    }

    private String explanation(String service) {
        StoreView v = store.await("an explanation for " + service, x -> tasks(x, service, t -> t.status().err() != null).size() > 0);
        return tasks(v, service, t -> t.status().err() != null).getFirst().status().err();
    }

    private static Map<NodeId, Long> byNode(StoreView v, String service) {
        return tasks(v, service, observed(TaskState.ASSIGNED)).stream().collect(Collectors.groupingBy(Task::nodeId, Collectors.counting()));
    }

    @Test
    void resourceFilterCountsReservationsOfTasksPlacedInTheSamePass() {
        Node a = withResources(node("a", null), 2_000_000_000L, 1024 * MIB);
        Node b = withResources(node("b", null), 2_000_000_000L, 512 * MIB);
        store.commit(Change.create(a), Change.create(b));
        pending(reserving("big", 0, 512 * MIB), 4, null);
        StoreView v = assigned("big", 3);
        assertEquals(Map.of(a.id(), 2L, b.id(), 1L), byNode(v, "big"));
        assertEquals("no suitable node (2 nodes lack 512 MiB of memory)", explanation("big"));
    }

    @Test
    void cpuReservationExplainsInCpus() {
        store.commit(Change.create(withResources(node("a", null), 1_000_000_000L, 1024 * MIB)));
        pending(reserving("cpu", 1_500_000_000L, 0), 1, null);
        assertEquals("no suitable node (1 node lacks 1.5 CPUs)", explanation("cpu"));
    }

    @Test
    void constraintFilterKeepsTasksOffNodesThatDoNotMatch() {
        Node ssd = node("a", Map.of("disk", "ssd"));
        Node hdd = node("b", Map.of("disk", "hdd"));
        Node none = node("c", null);
        store.commit(Change.create(ssd), Change.create(hdd), Change.create(none));
        pending(placed("db", new Placement(List.of("node.labels.disk==ssd"), null, null, null)), 3, null);
        assertEquals(Map.of(ssd.id(), 3L), byNode(assigned("db", 3), "db"));
        pending(placed("cache", new Placement(List.of("node.labels.disk!=ssd", "node.hostname!=c"), null, null, null)), 2, null);
        assertEquals(Map.of(hdd.id(), 2L), byNode(assigned("cache", 2), "cache"));
    }

    @Test
    void aConstraintNothingSatisfiesStaysPendingWithTheReasonUntilALabelIsAdded() {
        Node a = node("a", null);
        store.commit(Change.create(a), Change.create(node("b", null)));
        Service s = pending(placed("gpu", new Placement(List.of("node.labels.gpu==yes"), null, null, null)), 1, null);
        assertEquals("no suitable node (2 nodes do not satisfy the placement constraints (node.labels.gpu==yes))", explanation("gpu"));
        Node labelled = store.view().nodes().get(a.id());
        store.commit(Change.update(new Node(labelled.id(), labelled.version(), now, now,
                new NodeSpec(null, Map.of("gpu", "yes"), NodeSpec.Role.WORKER, NodeSpec.Availability.ACTIVE),
                labelled.description(), labelled.status(), null)));
        StoreView v = assigned("gpu", 1);
        Task t = tasks(v, "gpu", observed(TaskState.ASSIGNED)).getFirst();
        assertEquals(a.id(), t.nodeId());
        assertNull(t.status().err());
        assertEquals(s.id(), t.serviceId());
    }

    @Test
    void platformFilterMatchesDockerArchitectureNames() {
        Node x86 = node("a", null); // reports x86_64/linux
        store.commit(Change.create(x86));
        pending(placed("amd", new Placement(null, null, null, List.of(new NodeDescription.Platform("amd64", "linux")))), 1, null);
        assertEquals(x86.id(), tasks(assigned("amd", 1), "amd", observed(TaskState.ASSIGNED)).getFirst().nodeId());
        pending(placed("arm", new Placement(null, null, null, List.of(new NodeDescription.Platform("arm64", null)))), 1, null);
        assertEquals("no suitable node (1 node of another platform)", explanation("arm"));
    }

    @Test
    void hostPortsConflictOnANode() {
        Node a = node("a", null);
        Node b = node("b", null);
        store.commit(Change.create(a), Change.create(b));
        ServiceSpec web = Fixtures.spec("web", 3).withEndpointSpec(new EndpointSpec(null,
                List.of(new EndpointSpec.PortConfig(null, null, 80L, 8080L, EndpointSpec.PublishMode.HOST))));
        pending(web, 3, null);
        StoreView v = assigned("web", 2);
        assertEquals(Map.of(a.id(), 1L, b.id(), 1L), byNode(v, "web"));
        assertEquals("no suitable node (2 nodes already publish host port 8080/tcp)", explanation("web"));
    }

    @Test
    void maxReplicasPerNodeLeavesTheRestPendingWithTheReason() {
        store.commit(Change.create(node("a", null)), Change.create(node("b", null)));
        pending(placed("capped", new Placement(null, null, 1L, null)), 3, null);
        StoreView v = assigned("capped", 2);
        assertEquals(2, byNode(v, "capped").size());
        assertEquals("no suitable node (2 nodes run the most tasks of the service allowed per node (1))", explanation("capped"));
    }

    @Test
    void spreadOverThreeLabelValuesGivesAnEvenSplit() {
        // zone a has three nodes, b two, c one: spreading by node would put half the tasks in a
        List<Node> nodes = List.of(node("a1", Map.of("zone", "a")), node("a2", Map.of("zone", "a")), node("a3", Map.of("zone", "a")),
                node("b1", Map.of("zone", "b")), node("b2", Map.of("zone", "b")), node("c1", Map.of("zone", "c")));
        store.commit(nodes.stream().map(Change::create).toList());
        pending(placed("web", new Placement(null, List.of(Placement.Preference.spread("node.labels.zone")), null, null)), 9, null);
        Map<NodeId, Long> byNode = byNode(assigned("web", 9), "web");
        Map<String, Long> byZone = new HashMap<>();
        nodes.forEach(n -> byZone.merge(n.spec().labels().get("zone"), byNode.getOrDefault(n.id(), 0L), Long::sum));
        assertEquals(Map.of("a", 3L, "b", 3L, "c", 3L), byZone);
        assertEquals(3L, byNode.get(nodes.get(5).id()), "the lone node of zone c takes its zone's share");
        assertEquals(1L, byNode.get(nodes.get(0).id()), "zone a's nodes share its tasks");
    }

    @Test
    void spreadPreferencesApplyHierarchically() {
        List<Node> nodes = List.of(node("1", Map.of("dc", "east", "rack", "r1")), node("2", Map.of("dc", "east", "rack", "r2")),
                node("3", Map.of("dc", "west", "rack", "r1")), node("4", Map.of("dc", "west", "rack", "r1")));
        store.commit(nodes.stream().map(Change::create).toList());
        pending(placed("web", new Placement(null, List.of(Placement.Preference.spread("node.labels.dc"),
                Placement.Preference.spread("node.labels.rack")), null, null)), 4, null);
        Map<NodeId, Long> byNode = byNode(assigned("web", 4), "web");
        assertEquals(1L, byNode.get(nodes.get(0).id()), "east splits its 2 tasks over its 2 racks");
        assertEquals(1L, byNode.get(nodes.get(1).id()), "east splits its 2 tasks over its 2 racks");
        assertEquals(2L, byNode.getOrDefault(nodes.get(2).id(), 0L) + byNode.getOrDefault(nodes.get(3).id(), 0L), "west takes 2");
    }

    @Test
    void avoidPrefersNodesWithoutTheOtherServiceButUsesThemWhenNothingElseFits() {
        Node a = node("a", null);
        Node b = node("b", null);
        Node c = node("c", null);
        store.commit(Change.create(a), Change.create(b), Change.create(c));
        Service db = pending(Fixtures.spec("db", 1), 2, null);
        Map<NodeId, Long> dbNodes = byNode(assigned("db", 2), "db");
        NodeId free = List.of(a, b, c).stream().map(Node::id).filter(id -> !dbNodes.containsKey(id)).findFirst().orElseThrow();
        pending(placed("web", new Placement(null, List.of(Placement.Preference.avoid("db")), null, null)), 3, null);
        Map<NodeId, Long> web = byNode(assigned("web", 3), "web");
        assertEquals(3L, web.get(free), "all three on the node without db: " + web + " (db on " + dbNodes + ", service " + db.id() + ")");
    }

    @Test
    void aGlobalTaskIsCheckedOnItsOwnNodeOnly() {
        Node small = withResources(node("small", null), 1_000_000_000L, 256 * MIB);
        Node large = withResources(node("large", null), 1_000_000_000L, 2048 * MIB);
        store.commit(Change.create(small), Change.create(large));
        ServiceSpec spec = reserving("agent", 0, 512 * MIB).withMode(ServiceMode.ofGlobal());
        Service agent = pending(spec, 1, large.id());
        store.commit(Change.create(Fixtures.task(agent, 0, TaskState.PENDING, TaskState.RUNNING, small.id(), now)));
        StoreView v = store.await("the large node's task assigned", x -> tasks(x, "agent", observed(TaskState.ASSIGNED)).size() == 1);
        assertEquals(large.id(), tasks(v, "agent", observed(TaskState.ASSIGNED)).getFirst().nodeId());
        assertEquals("no suitable node (1 node lacks 512 MiB of memory)", explanation("agent"));
        assertEquals(small.id(), tasks(store.view(), "agent", observed(TaskState.PENDING)).getFirst().nodeId(), "it stays on its node");
    }

    @Test
    void aDownNodeIsExplainedForAGlobalTask() {
        Node down = Fixtures.node("gone", NodeStatus.State.DOWN, NodeSpec.Availability.ACTIVE, now);
        store.commit(Change.create(down));
        pending(Fixtures.spec("agent", 1).withMode(ServiceMode.ofGlobal()), 1, down.id());
        assertEquals("no suitable node (1 node not available for new tasks)", explanation("agent"));
    }
}
