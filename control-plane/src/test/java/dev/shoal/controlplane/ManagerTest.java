package dev.shoal.controlplane;

import static dev.shoal.controlplane.testing.Views.desired;
import static dev.shoal.controlplane.testing.Views.tasks;
import static dev.shoal.controlplane.testing.Views.tasksOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.Version;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.TestAgent;
import dev.shoal.controlplane.testing.TestManager;
import dev.shoal.controlplane.testing.TestStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A whole manager on a real store: bootstrap, and services from the API to an agent and back. */
class ManagerTest {
    private static final Logger log = LoggerFactory.getLogger(ManagerTest.class);

    private TestManager m;

    @AfterEach
    void stop() {
        if (m != null) {
            m.close();
        }
    }

    @Test
    void bootstrapCreatesTheSwarmAndThisManagerNodeInOneCommit() {
        m = TestManager.start();
        Node self = new Node(null, null, null, null, new NodeSpec("mgr", null, null, null), Fixtures.description("host-a"),
                new NodeStatus(NodeStatus.State.READY, null, "10.0.0.5"), null);
        Swarm swarm = m.manager.bootstrap(new SwarmInitRequest("0.0.0.0:2377", "10.0.0.5:2377", null), self).block(TestStore.WAIT);
        assertEquals(25, swarm.id().length());
        assertEquals(SwarmSpec.defaults(), swarm.spec());
        StoreView v = m.store.view();
        Node node = v.nodes().get(m.self());
        assertEquals(NodeSpec.Role.MANAGER, node.spec().role());
        assertEquals(NodeSpec.Availability.ACTIVE, node.spec().availability());
        assertEquals("mgr", node.spec().name());
        assertEquals(NodeStatus.State.UNKNOWN, node.status().state(), "ready only once its agent says hello");
        assertEquals("10.0.0.5", node.status().addr());
        assertTrue(node.managerStatus().leader());
        assertEquals("10.0.0.5:2377", node.managerStatus().addr());
        assertEquals(swarm.version(), node.version(), "one transaction");
        assertEquals("host-a", m.client.nodeInspect("self").block(TestStore.WAIT).description().hostname());
        assertEquals(swarm.id(), m.client.swarmInspect().block(TestStore.WAIT).id());
    }

    @Test
    void bootstrapMergesTheRequestedSpecOverTheDefaults() {
        m = TestManager.start();
        SwarmSpec requested = new SwarmSpec(null, new SwarmSpec.Orchestration(3L), null);
        Swarm swarm = m.manager.bootstrap(new SwarmInitRequest(null, null, requested), null).block(TestStore.WAIT);
        assertEquals("default", swarm.spec().name());
        assertEquals(3, swarm.spec().taskHistoryLimit());
        assertEquals(SwarmSpec.DEFAULT_HEARTBEAT_NANOS, swarm.spec().heartbeatPeriodNanos());
    }

    @Test
    void bootstrapInASwarmIsFailedPreconditionAndWritesNothing() {
        m = TestManager.startSwarm();
        StoreView before = m.store.view();
        ApiException e = assertThrows(ApiException.class, () -> m.bootstrap(null));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertEquals("this node is already part of a swarm", e.getMessage());
        assertEquals(before, m.store.view());
    }

    @Test
    void bootstrapWithABadSpecIsRefusedAndWritesNothing() {
        m = TestManager.start();
        SwarmSpec bad = new SwarmSpec(null, null, new SwarmSpec.Dispatcher(0L));
        StoreView before = m.store.view();
        ApiException e = assertThrows(ApiException.class,
                () -> m.manager.bootstrap(new SwarmInitRequest(null, null, bad), null).block(TestStore.WAIT));
        assertEquals("invalid Dispatcher.HeartbeatPeriod: 0: must be > 0", e.getMessage());
        assertEquals(before, m.store.view());
    }

    @Test
    void fiftyReplicasReachTheAgentThroughOneCommitPerStage() {
        m = TestManager.startSwarm();
        TestAgent agent = m.agent("n1");
        agent.await("the first set", a -> true);
        // warm the path once so that the figure logged below is not class loading
        m.client.serviceCreate(Fixtures.spec("warmup", 1)).block(TestStore.WAIT);
        agent.await("the warm-up task", a -> a.tasks().size() == 1);

        long start = System.nanoTime();
        m.client.serviceCreate(Fixtures.spec("web", 50)).block(TestStore.WAIT);
        Assignments set = agent.await("50 tasks", a -> a.tasks().stream().filter(t -> t.serviceName().equals("web")).count() == 50);
        log.info("service create --replicas 50: all 50 tasks created, allocated, assigned and sent to the agent in {} ms",
                (System.nanoTime() - start) / 1_000_000);
        List<Task> web = set.tasks().stream().filter(t -> t.serviceName().equals("web")).toList();
        // the time depends on the machine; what makes it short does not: one commit per stage, not per task
        assertEquals(1, web.stream().map(Task::version).distinct().count(), "all 50 assigned by one commit");

        agent.report(web.stream().map(Task::id).toList(), TaskState.RUNNING);
        StoreView v = m.store.await("50 running tasks", x -> tasks(x, "web", t -> t.state() == TaskState.RUNNING).size() == 50);
        assertEquals(1, tasks(v, "web", t -> t.state() == TaskState.RUNNING).stream().map(Task::version).distinct().count(),
                "one report of 50 statuses, one commit");
    }

    @Test
    void scalingAndRemovingAServiceReachTheAgent() {
        m = TestManager.startSwarm();
        TestAgent agent = m.agent("n1");
        m.client.serviceCreate(Fixtures.spec("web", 3)).block(TestStore.WAIT);
        List<TaskId> ids = agent.await("3 tasks", a -> a.tasks().size() == 3).tasks().stream().map(Task::id).toList();
        agent.report(ids, TaskState.RUNNING);
        m.store.await("3 running tasks", v -> tasks(v, "web", t -> t.state() == TaskState.RUNNING).size() == 3);

        Service s = m.client.serviceInspect("web").block(TestStore.WAIT);
        m.client.serviceUpdate("web", s.version(), s.spec().withReplicas(1)).block(TestStore.WAIT);
        Assignments down = agent.await("slots 2 and 3 to stop",
                a -> a.tasks().stream().filter(t -> t.desiredState() == TaskState.REMOVE).count() == 2);
        List<TaskId> removed = down.tasks().stream().filter(t -> t.desiredState() == TaskState.REMOVE).map(Task::id).toList();
        assertEquals(List.of(2L, 3L), down.tasks().stream().filter(t -> t.desiredState() == TaskState.REMOVE).map(Task::slot).toList());
        agent.report(removed, TaskState.SHUTDOWN);
        agent.await("one task left", a -> a.tasks().size() == 1);
        m.store.await("the stopped tasks to be reaped", v -> tasksOf(v, "web").size() == 1);

        m.client.serviceRemove("web").block(TestStore.WAIT);
        Task last = agent.await("the last task to stop", a -> a.tasks().size() == 1 && a.tasks().getFirst().desiredState() == TaskState.REMOVE)
                .tasks().getFirst();
        agent.report(last.id(), TaskState.SHUTDOWN);
        agent.await("an empty set", a -> a.tasks().isEmpty());
        m.store.await("no tasks left", v -> v.tasks().isEmpty());
    }

    @Test
    void anUpdateReplacesTasksOneByOneStoppingEachBeforeStartingItsReplacement() {
        m = TestManager.startSwarm();
        TestAgent agent = m.agent("n1");
        m.client.serviceCreate(Fixtures.spec("web", 2)).block(TestStore.WAIT);
        agent.report(agent.await("2 tasks", a -> a.tasks().size() == 2).tasks().stream().map(Task::id).toList(), TaskState.RUNNING);
        m.store.await("2 running tasks", v -> tasks(v, "web", t -> t.state() == TaskState.RUNNING).size() == 2);

        TaskSpec v2 = new TaskSpec(ContainerSpec.of("busybox:v2"), null, null);
        Service s = m.client.serviceInspect("web").block(TestStore.WAIT);
        m.client.serviceUpdate("web", s.version(), s.spec().withTaskTemplate(v2)).block(TestStore.WAIT);
        for (long slot = 1; slot <= 2; slot++) {
            long k = slot;
            Assignments a = agent.await("slot " + slot + "'s old task to stop and its new one held",
                    x -> x.tasks().stream().anyMatch(t -> t.slot() == k && !v2.equals(t.spec()) && t.desiredState() == TaskState.SHUTDOWN)
                            && x.tasks().stream().anyMatch(t -> t.slot() == k && v2.equals(t.spec()) && t.desiredState() == TaskState.READY));
            Task old = a.tasks().stream().filter(t -> t.slot() == k && !v2.equals(t.spec())).findFirst().orElseThrow();
            Task next = a.tasks().stream().filter(t -> t.slot() == k && v2.equals(t.spec())).findFirst().orElseThrow();
            agent.report(old.id(), TaskState.SHUTDOWN);
            agent.await("slot " + slot + "'s new task to start", x -> x.tasks().stream().anyMatch(t -> t.id().equals(next.id()) && t.desiredState() == TaskState.RUNNING));
            agent.report(next.id(), TaskState.RUNNING);
        }
        StoreView v = m.store.await("both slots on the new template",
                x -> tasks(x, "web", t -> v2.equals(t.spec()) && t.state() == TaskState.RUNNING).size() == 2);
        assertEquals(2, tasks(v, "web", desired(TaskState.RUNNING)).size());
    }

    @Test
    void aNewTermReconcilesWhatChangedWhileNoLeaderRan() {
        TestStore store = TestStore.start();
        try {
            Instant now = Instant.now();
            store.commit(Change.create(Fixtures.swarm(SwarmSpec.defaults(), now)),
                    Change.create(Fixtures.service(Fixtures.spec("web", 3), now)));
            try (Manager manager = Manager.start(new Manager.Config(NodeId.random(), Clock.systemUTC()), store.store())) {
                StoreView v = store.await("3 tasks waiting for a node", x -> tasks(x, "web", t -> t.state() == TaskState.PENDING
                        && t.status().err() != null).size() == 3);
                assertEquals("no suitable node (the swarm has no nodes)", tasksOf(v, "web").getFirst().status().err());
                assertNotNull(manager.api());
            }
        } finally {
            store.close();
        }
    }

    @Test
    void losingLeadershipStopsTheLeaderServicesAndEndsTheSessions() {
        m = TestManager.startSwarm();
        TestAgent agent = m.agent("n1");
        agent.await("the first set", a -> true);
        m.store.store().close(); // the member steps down: leadership() says false
        ApiException e = Json.decodeError(agent.awaitEnd().getMessage());
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals("this manager is not the leader of the swarm; reconnect to the leader", e.getMessage());
        ApiException again = Json.decodeError(m.agent("n2").awaitEnd().getMessage());
        assertEquals(ErrorCode.UNAVAILABLE, again.code(), "no dispatcher while not leading");
    }

    @Test
    void configDefaults() {
        Manager.Config c = new Manager.Config(NodeId.random(), Clock.systemUTC());
        assertEquals(Manager.COALESCE_DEFAULT, c.coalesce());
        assertEquals(null, c.timers());
        assertEquals(Duration.ofMillis(7), c.withCoalesce(Duration.ofMillis(7)).coalesce());
        assertEquals(Version.ZERO, new Version(0));
    }
}
