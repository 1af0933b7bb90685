package dev.shoal.controlplane.orchestrator;

import static dev.shoal.controlplane.testing.Views.tasks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.controlplane.allocator.Allocator;
import dev.shoal.controlplane.api.ServiceSpecValidator;
import dev.shoal.controlplane.orchestrator.constraintenforcer.ConstraintEnforcer;
import dev.shoal.controlplane.orchestrator.global.GlobalOrchestrator;
import dev.shoal.controlplane.orchestrator.jobs.JobOrchestrator;
import dev.shoal.controlplane.orchestrator.rebalance.Rebalancer;
import dev.shoal.controlplane.orchestrator.replicated.ReplicatedOrchestrator;
import dev.shoal.controlplane.orchestrator.restart.RestartSupervisor;
import dev.shoal.controlplane.orchestrator.taskreaper.TaskReaper;
import dev.shoal.controlplane.orchestrator.update.Updater;
import dev.shoal.controlplane.scheduler.Scheduler;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.FakeNodes;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.Loops;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Global services, jobs, the constraint enforcer and rebalancing, with every leader reconciler on
 * a real store (the real scheduler places tasks) and {@link FakeNodes} playing three nodes.
 */
class ModesTest {
    private final VirtualClock clock = VirtualClock.create();
    private TestStore store;
    private Loops loops;
    private Node n1;
    private Node n2;
    private Node n3;
    /** What a node reports for a task told to run. */
    private Function<Task, TaskState> outcome = t -> TaskState.RUNNING;

    @BeforeEach
    void start() {
        store = TestStore.start();
        n1 = Fixtures.readyNode("n1", clock.instant());
        n2 = Fixtures.readyNode("n2", clock.instant());
        n3 = Fixtures.readyNode("n3", clock.instant());
        store.commit(Change.create(n1), Change.create(n2), Change.create(n3));
        loops = new Loops(store.store(), clock);
        for (var r : List.of(new ReplicatedOrchestrator(store.store(), clock), new GlobalOrchestrator(store.store(), clock),
                new JobOrchestrator(store.store(), clock), new ConstraintEnforcer(store.store(), clock), new Rebalancer(store.store(), clock),
                new RestartSupervisor(store.store(), clock), new Updater(store.store(), clock), new TaskReaper(store.store(), clock),
                new Allocator(store.store(), clock), new Scheduler(store.store(), clock),
                new FakeNodes(store.store(), clock, null, t -> outcome.apply(t)))) {
            loops.run(r);
        }
    }

    @AfterEach
    void stop() {
        loops.close();
        store.close();
    }

    private static ServiceSpec spec(String name, ServiceMode mode, String... constraints) {
        TaskSpec t = new TaskSpec(ContainerSpec.of("busybox", "sleep", "600"), null, null, null,
                constraints.length == 0 ? null : new Placement(List.of(constraints), null, null, null));
        return ServiceSpecValidator.withDefaults(new ServiceSpec(name, null, t, mode));
    }

    private Service create(ServiceSpec spec) {
        Service s = Fixtures.service(spec, clock.instant());
        store.commit(Change.create(s));
        return s;
    }

    private void updateNode(Node n, Function<NodeSpec, NodeSpec> change) {
        Node current = store.view().nodes().get(n.id());
        store.commit(Change.update(new Node(current.id(), current.version(), current.createdAt(), clock.instant(),
                change.apply(current.spec()), current.description(), current.status(), null)));
    }

    private static Map<NodeId, Long> running(StoreView v, String service) {
        return tasks(v, service, t -> t.state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING).stream()
                .collect(Collectors.groupingBy(Task::nodeId, Collectors.counting()));
    }

    private static Predicate<StoreView> onEach(String service, NodeId... nodes) {
        return v -> {
            Map<NodeId, Long> r = running(v, service);
            return r.size() == nodes.length && List.of(nodes).stream().allMatch(n -> r.getOrDefault(n, 0L) == 1);
        };
    }

    private static NodeSpec labels(NodeSpec s, Map<String, String> labels) {
        return new NodeSpec(s.name(), labels, s.role(), s.availability());
    }

    @Test
    void aGlobalServiceFollowsNodesJoiningDrainingChangingLabelsAndLeaving() {
        create(spec("agent", ServiceMode.ofGlobal()));
        store.await("one task per node", onEach("agent", n1.id(), n2.id(), n3.id()));

        Node n4 = Fixtures.readyNode("n4", clock.instant());
        store.commit(Change.create(n4));
        store.await("the new node gets one", onEach("agent", n1.id(), n2.id(), n3.id(), n4.id()));

        updateNode(n2, s -> new NodeSpec(s.name(), s.labels(), s.role(), NodeSpec.Availability.DRAIN));
        store.await("none on the drained node", onEach("agent", n1.id(), n3.id(), n4.id()));
        updateNode(n2, s -> new NodeSpec(s.name(), s.labels(), s.role(), NodeSpec.Availability.ACTIVE));
        store.await("back on the active node", onEach("agent", n1.id(), n2.id(), n3.id(), n4.id()));

        store.commit(Change.delete(store.view().nodes().get(n4.id())));
        StoreView v = store.await("the removed node's task removed", x -> onEach("agent", n1.id(), n2.id(), n3.id()).test(x)
                && tasks(x, "agent", t -> n4.id().equals(t.nodeId())).isEmpty());
        assertEquals(0, tasks(v, "agent", t -> t.slot() != 0).size(), "global tasks have slot 0");
    }

    @Test
    void aGlobalServiceRespectsConstraintsAndFollowsLabelChanges() {
        updateNode(n1, s -> labels(s, Map.of("edge", "yes")));
        create(spec("edge", ServiceMode.ofGlobal(), "node.labels.edge==yes"));
        store.await("only on n1", onEach("edge", n1.id()));
        updateNode(n3, s -> labels(s, Map.of("edge", "yes")));
        store.await("n3 labelled too", onEach("edge", n1.id(), n3.id()));
        updateNode(n1, s -> labels(s, Map.of()));
        store.await("n1's label removed", onEach("edge", n3.id()));
    }

    @Test
    void aReplicatedJobCompletesItsTotalWithAtMostMaxConcurrentAtOnce() {
        outcome = t -> TaskState.COMPLETE;
        AtomicLong most = new AtomicLong();
        Disposable watch = store.store().watch().subscribe(e -> most.accumulateAndGet(
                tasks(store.view(), "batch", t -> Tasks.isRunnable(t) && !t.state().isTerminal()).size(), Math::max));
        try {
            create(spec("batch", ServiceMode.ofReplicatedJob(2L, 5L)));
            StoreView v = store.await("5 completions", x -> tasks(x, "batch", t -> t.state() == TaskState.COMPLETE).size() == 5);
            assertEquals(5, tasks(v, "batch", t -> t.state() == TaskState.COMPLETE).stream().map(Task::slot).distinct().count());
        } finally {
            watch.dispose();
        }
        assertTrue(most.get() <= 2, "at most 2 at once, saw " + most.get());
        clock.advance(Duration.ofMinutes(1));
        StoreView later = store.await("5 tasks that hold their slots as done", x -> tasks(x, "batch", t -> true).size() == 5
                && tasks(x, "batch", t -> true).stream().allMatch(t -> t.desiredState() == TaskState.COMPLETE));
        assertEquals(later.serviceByName("batch").orElseThrow().jobStatus().jobIteration(), tasks(later, "batch", t -> true).getFirst().jobIteration());
    }

    @Test
    void aFailedJobTaskIsRetriedByItsRestartPolicy() {
        AtomicLong attempts = new AtomicLong();
        outcome = t -> attempts.incrementAndGet() <= 2 ? TaskState.FAILED : TaskState.COMPLETE;
        Service s = create(spec("once", ServiceMode.ofReplicatedJob(1L, 1L)));
        assertEquals(RestartPolicy.Condition.ON_FAILURE, s.spec().taskTemplate().restartPolicy().condition(), "a job defaults to on-failure");
        StoreView v = store.awaitAdvancing(clock, "a completion after two failures", x -> tasks(x, "once", t -> t.state() == TaskState.COMPLETE).size() == 1);
        assertEquals(2, tasks(v, "once", t -> t.state() == TaskState.FAILED).size());
    }

    @Test
    void aJobUpdateStartsANewIteration() {
        outcome = t -> TaskState.COMPLETE;
        Service s = create(spec("migrate", ServiceMode.ofReplicatedJob(1L, 1L)));
        StoreView first = store.await("the first run done", x -> tasks(x, "migrate", t -> t.state() == TaskState.COMPLETE).size() == 1);
        var iteration = first.serviceByName("migrate").orElseThrow().jobStatus().jobIteration();
        clock.advance(Duration.ofSeconds(1));
        Service current = first.services().get(s.id());
        store.commit(Change.update(current.withSpec(current.spec().withTaskTemplate(current.spec().taskTemplate()
                .withContainerSpec(ContainerSpec.of("busybox", "echo", "v2"))), clock.instant())));
        StoreView v = store.await("the second run done", x -> tasks(x, "migrate", t -> t.state() == TaskState.COMPLETE).size() == 2);
        var second = v.serviceByName("migrate").orElseThrow().jobStatus().jobIteration();
        assertTrue(second.index() > iteration.index(), "a new iteration: " + iteration + " then " + second);
        assertEquals(1, tasks(v, "migrate", t -> second.equals(t.jobIteration())).size());
    }

    @Test
    void aGlobalJobRunsOnceOnEveryNode() {
        outcome = t -> TaskState.COMPLETE;
        create(spec("cleanup", ServiceMode.ofGlobalJob()));
        StoreView v = store.await("one completion per node", x -> tasks(x, "cleanup", t -> t.state() == TaskState.COMPLETE).size() == 3);
        assertEquals(3, tasks(v, "cleanup", t -> true).stream().map(Task::nodeId).distinct().count());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(3, store.await("still 3", x -> tasks(x, "cleanup", t -> true).size() == 3).tasks().values().stream()
                .filter(t -> t.serviceName().equals("cleanup")).count());
    }

    @Test
    void scaleDownRemovesFromTheMostLoadedNodeFirst() {
        Service s = create(spec("web", ServiceMode.replicated(3)));
        store.await("one on each node", onEach("web", n1.id(), n2.id(), n3.id()));
        // with n2 and n3 paused, two more replicas can only go to n1: 3, 1, 1
        updateNode(n2, ns -> new NodeSpec(ns.name(), ns.labels(), ns.role(), NodeSpec.Availability.PAUSE));
        updateNode(n3, ns -> new NodeSpec(ns.name(), ns.labels(), ns.role(), NodeSpec.Availability.PAUSE));
        scale(s, 5);
        store.await("3 on n1", x -> running(x, "web").getOrDefault(n1.id(), 0L) == 3 && running(x, "web").size() == 3);
        updateNode(n2, ns -> new NodeSpec(ns.name(), ns.labels(), ns.role(), NodeSpec.Availability.ACTIVE));
        updateNode(n3, ns -> new NodeSpec(ns.name(), ns.labels(), ns.role(), NodeSpec.Availability.ACTIVE));
        scale(s, 4);
        StoreView v = store.await("4 running", x -> running(x, "web").values().stream().mapToLong(Long::longValue).sum() == 4);
        assertEquals(Map.of(n1.id(), 2L, n2.id(), 1L, n3.id(), 1L), running(v, "web"), "the task removed came from the most loaded node");
        scale(s, 3);
        StoreView three = store.await("3 running", x -> running(x, "web").values().stream().mapToLong(Long::longValue).sum() == 3);
        assertEquals(Map.of(n1.id(), 1L, n2.id(), 1L, n3.id(), 1L), running(three, "web"));
    }

    private void scale(Service s, long replicas) {
        Service current = store.view().services().get(s.id());
        store.commit(Change.update(current.withSpec(current.spec().withReplicas(replicas), clock.instant())));
    }

    @Test
    void theConstraintEnforcerMovesATaskOffANodeThatLostItsLabel() {
        updateNode(n2, s -> labels(s, Map.of("ssd", "yes")));
        updateNode(n3, s -> labels(s, Map.of("ssd", "yes")));
        create(spec("db", ServiceMode.replicated(1), "node.labels.ssd==yes"));
        StoreView v = store.await("running", x -> running(x, "db").size() == 1);
        NodeId first = running(v, "db").keySet().iterator().next();
        Node from = first.equals(n2.id()) ? n2 : n3;
        NodeId other = first.equals(n2.id()) ? n3.id() : n2.id();
        updateNode(from, s -> labels(s, Map.of()));
        StoreView after = store.await("moved to the other labelled node", x -> running(x, "db").equals(Map.of(other, 1L)));
        assertTrue(tasks(after, "db", t -> first.equals(t.nodeId()) && t.desiredState() == TaskState.SHUTDOWN).size() == 1);
    }

    @Test
    void rebalanceAfterANodeJoinsSpreadsEvenlyWithoutDroppingReplicas() {
        Service s = create(spec("web", ServiceMode.replicated(6)));
        store.await("6 running", x -> running(x, "web").values().stream().mapToLong(Long::longValue).sum() == 6);
        Node n4 = Fixtures.readyNode("n4", clock.instant());
        Node n5 = Fixtures.readyNode("n5", clock.instant());
        store.commit(Change.create(n4), Change.create(n5));
        AtomicLong fewest = new AtomicLong(Long.MAX_VALUE);
        Disposable watch = store.store().watch().subscribe(e -> fewest.accumulateAndGet(
                running(store.view(), "web").values().stream().mapToLong(Long::longValue).sum(), Math::min));
        try {
            Service current = store.view().services().get(s.id());
            store.commit(Change.update(current.withSpec(current.spec().withRebalance(1L), clock.instant())
                    .withUpdateStatus(new UpdateStatus(UpdateStatus.State.UPDATING, clock.instant(), null, "update in progress"))));
            StoreView v = store.await("rebalanced", x -> {
                Service now = x.services().get(s.id());
                return now.rebalanced() != null && now.rebalanced() == 1L;
            });
            Map<NodeId, Long> spread = running(v, "web");
            assertEquals(5, spread.size(), "every node runs some: " + spread);
            assertTrue(spread.values().stream().allMatch(n -> n >= 1 && n <= 2), spread.toString());
            assertEquals(UpdateStatus.State.COMPLETED, v.services().get(s.id()).updateStatus().state());
            assertEquals("rebalance completed", v.services().get(s.id()).updateStatus().message());
        } finally {
            watch.dispose();
        }
        assertTrue(fewest.get() >= 6, "never fewer than 6 running, saw " + fewest.get());
    }

    @Test
    void restartMaxAttemptsAreRespectedAcrossALeaderChange() {
        outcome = t -> TaskState.FAILED;
        ServiceSpec flaky = new ServiceSpec("flaky", null, new TaskSpec(ContainerSpec.of("busybox", "false"),
                new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, 0L, 3L, 0L), null), ServiceMode.replicated(1));
        create(flaky);
        store.await("two attempts", x -> tasks(x, "flaky", t -> t.state() == TaskState.FAILED).size() >= 2);
        loops.close();
        // a new leader: the same reconcilers, new instances, nothing carried over but the store
        loops = new Loops(store.store(), clock);
        for (var r : List.of(new ReplicatedOrchestrator(store.store(), clock), new RestartSupervisor(store.store(), clock),
                new TaskReaper(store.store(), clock), new Allocator(store.store(), clock), new Scheduler(store.store(), clock),
                new FakeNodes(store.store(), clock, null, t -> outcome.apply(t)))) {
            loops.run(r);
        }
        StoreView v = store.awaitAdvancing(clock, "4 failed tasks", x -> tasks(x, "flaky", t -> t.state() == TaskState.FAILED).size() == 4);
        clock.advance(Duration.ofMinutes(1));
        StoreView later = store.await("4 tasks, the last holding the slot as done (not refilled)", x -> tasks(x, "flaky", t -> true).size() == 4
                && tasks(x, "flaky", t -> t.desiredState() == TaskState.COMPLETE).size() == 1);
        assertEquals(3, tasks(later, "flaky", t -> t.desiredState() == TaskState.SHUTDOWN).size());
        assertEquals(4, tasks(v, "flaky", t -> true).size());
    }

}
