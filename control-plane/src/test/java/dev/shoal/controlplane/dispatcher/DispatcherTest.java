package dev.shoal.controlplane.dispatcher;

import static dev.shoal.controlplane.testing.Views.desired;
import static dev.shoal.controlplane.testing.Views.tasks;
import static dev.shoal.controlplane.testing.Views.tasksOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.AgentMessage;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.TestAgent;
import dev.shoal.controlplane.testing.TestManager;
import dev.shoal.controlplane.testing.TestStore;
import io.rsocket.exceptions.ApplicationErrorException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent sessions over a real RSocket connection to a manager on a real store, with every leader
 * service running and time virtual. The test plays the agent.
 */
class DispatcherTest {
    private static final Duration HEARTBEAT = Duration.ofNanos(SwarmSpec.DEFAULT_HEARTBEAT_NANOS);

    private TestManager m;

    @BeforeEach
    void start() {
        m = TestManager.startSwarm();
    }

    @AfterEach
    void stop() {
        m.close();
    }

    private static ApiException apiError(Throwable t) {
        return Json.decodeError(assertInstanceOf(ApplicationErrorException.class, t).getMessage());
    }

    private NodeStatus.State nodeState(NodeId node) {
        Node n = m.store.view().nodes().get(node);
        return n == null || n.status() == null ? null : n.status().state();
    }

    /** A service of {@code replicas} created through the API, and the set its tasks reach the agent in. */
    private Assignments runService(TestAgent agent, String name, int replicas) {
        m.client.serviceCreate(Fixtures.spec(name, replicas)).block(TestStore.WAIT);
        return agent.await(replicas + " tasks of " + name, a -> a.tasks().stream().filter(t -> t.serviceName().equals(name)).count() == replicas);
    }

    @Test
    void helloRegistersTheNodeAndItsAssignmentsFollow() {
        TestAgent agent = m.agent("n1");
        Assignments first = agent.await("the first set", a -> true);
        assertEquals(SwarmSpec.DEFAULT_HEARTBEAT_NANOS, first.heartbeatPeriodNanos());
        StoreView v = m.store.await("the node to be ready", x -> nodeState(agent.node()) == NodeStatus.State.READY);
        Node n = v.nodes().get(agent.node());
        assertEquals("n1", n.description().hostname());
        assertEquals(NodeSpec.Role.WORKER, n.spec().role());
        assertEquals(NodeSpec.Availability.ACTIVE, n.spec().availability());

        Assignments set = runService(agent, "web", 3);
        assertEquals(List.of(1L, 2L, 3L), set.tasks().stream().map(Task::slot).toList());
        assertTrue(set.tasks().stream().allMatch(t -> t.desiredState() == TaskState.RUNNING && agent.node().equals(t.nodeId())));
    }

    @Test
    void aSessionGetsACompleteSetFirstThenOnlyChangesNumberedInSequence() {
        TestAgent agent = m.agent("n1");
        agent.await("the first set", a -> true);
        runService(agent, "web", 3);
        List<Assignments> sent = agent.received();
        assertTrue(sent.getFirst().complete(), "the first message is a complete set");
        assertEquals("worker", sent.getFirst().node().role(), "the first message says the node's role");
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i + 1, sent.get(i).sequence(), "message " + i + " is numbered in order");
            if (i > 0) {
                assertFalse(sent.get(i).complete(), "message " + i + " carries changes only");
            }
        }
        int before = sent.size();
        m.client.serviceRemove("web").block(TestStore.WAIT);
        Assignments stop = agent.await("the tasks to stop", a -> a.tasks().stream().allMatch(t -> t.desiredState() != TaskState.RUNNING));
        assertEquals(3, stop.tasks().size());
        Assignments change = agent.received().get(before);
        assertFalse(change.complete());
        assertTrue(change.tasks().size() <= 3, "only the changed tasks travel: " + change.tasks().size());
    }

    @Test
    void theFirstMessageMustBeAHello() {
        TestAgent agent = TestAgent.connectSending(m.connect(), NodeId.random(), AgentMessage.heartbeat(1), m.clock());
        ApiException e = apiError(agent.awaitEnd());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("the first message of a dispatcher session must be a hello", e.getMessage());
        agent.close();
    }

    @Test
    void aHelloWithoutANodeIdIsRefused() {
        TestAgent agent = TestAgent.connectSending(m.connect(), NodeId.random(), AgentMessage.hello("", Fixtures.description("n1")), m.clock());
        ApiException e = apiError(agent.awaitEnd());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("invalid Hello.NodeID: \"\": must not be empty", e.getMessage());
        agent.close();
    }

    @Test
    void aSecondHelloEndsTheSession() {
        TestAgent agent = m.agent("n1");
        agent.await("the first set", a -> true);
        agent.send(AgentMessage.hello(agent.node().value(), Fixtures.description("n1")));
        ApiException e = apiError(agent.awaitEnd());
        assertEquals("a dispatcher session says hello only once, as its first message", e.getMessage());
    }

    @Test
    void statusReportsMoveTasksForwardOnly() {
        TestAgent agent = m.agent("n1");
        List<Task> tasks = runService(agent, "web", 2).tasks();
        Task a = tasks.get(0);
        Task b = tasks.get(1);
        agent.report(List.of(a.id(), b.id()), TaskState.RUNNING);
        m.store.await("both tasks to run", v -> tasks(v, "web", t -> t.state() == TaskState.RUNNING).size() == 2);
        agent.report(a.id(), TaskState.STARTING);
        agent.report(b.id(), TaskState.FAILED);
        StoreView v = m.store.await("the later report to be applied", x -> x.tasks().get(b.id()).state() == TaskState.FAILED);
        assertEquals(TaskState.RUNNING, v.tasks().get(a.id()).state(), "a report of an earlier state is dropped");
    }

    @Test
    void reportsAboutAnotherNodesTasksAreIgnored() {
        TestAgent one = m.agent("n1");
        one.await("the first set", a -> true);
        TestAgent two = m.agent("n2");
        two.await("the first set", a -> true);
        m.client.serviceCreate(Fixtures.spec("web", 2)).block(TestStore.WAIT);
        Task mine = one.await("a task", a -> !a.tasks().isEmpty()).tasks().getFirst();
        Task theirs = two.await("a task", a -> !a.tasks().isEmpty()).tasks().getFirst();
        one.send(AgentMessage.updates(List.of(
                new AgentMessage.TaskStatusUpdate(theirs.id(), dev.shoal.api.model.TaskStatus.of(TaskState.FAILED, "forged", m.clock().instant())),
                new AgentMessage.TaskStatusUpdate(mine.id(), dev.shoal.api.model.TaskStatus.of(TaskState.RUNNING, "started", m.clock().instant())))));
        StoreView v = m.store.await("n1's own report", x -> x.tasks().get(mine.id()).state() == TaskState.RUNNING);
        assertEquals(TaskState.ASSIGNED, v.tasks().get(theirs.id()).state());
    }

    @Test
    void tasksToStopStayInTheSetUntilTheNodeReportsThemStopped() {
        TestAgent agent = m.agent("n1");
        Task t = runService(agent, "web", 1).tasks().getFirst();
        agent.report(t.id(), TaskState.RUNNING);
        m.store.await("the task to run", v -> v.tasks().get(t.id()).state() == TaskState.RUNNING);
        m.client.serviceRemove("web").block(TestStore.WAIT);
        Assignments stop = agent.await("the task with desired remove",
                a -> a.tasks().stream().anyMatch(x -> x.id().equals(t.id()) && x.desiredState() == TaskState.REMOVE));
        assertEquals(1, stop.tasks().size());
        agent.report(t.id(), TaskState.SHUTDOWN);
        agent.await("an empty set", a -> a.tasks().isEmpty());
        m.store.await("the task to be reaped", v -> !v.tasks().containsKey(t.id()));
    }

    @Test
    void heartbeatsKeepTheNodeReady() {
        TestAgent agent = m.agent("n1");
        Task t = runService(agent, "web", 1).tasks().getFirst();
        List<TaskState> progress = List.of(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY, TaskState.STARTING, TaskState.RUNNING);
        for (TaskState s : progress) {
            m.clock().advance(HEARTBEAT);
            agent.heartbeat(s.ordinal());
            agent.report(t.id(), s); // applied after the heartbeat: once it shows, the heartbeat has been seen
            m.store.await("the report " + s.wireName(), v -> v.tasks().get(t.id()).state() == s);
        }
        m.clock().advance(HEARTBEAT);
        assertEquals(NodeStatus.State.READY, nodeState(agent.node()), "25 s and never 15 s without a sign of life");
    }

    @Test
    void aNodeThatMissesThreeHeartbeatsIsDownAndItsTasksAreReplaced() {
        TestAgent agent = m.agent("n1");
        Task t = runService(agent, "web", 1).tasks().getFirst();
        agent.report(t.id(), TaskState.RUNNING);
        m.store.await("the task to run", v -> v.tasks().get(t.id()).state() == TaskState.RUNNING);

        m.clock().advance(HEARTBEAT.multipliedBy(3).minusMillis(1));
        assertEquals(NodeStatus.State.READY, nodeState(agent.node()));
        m.clock().advance(Duration.ofMillis(1));
        m.store.await("the node to be down", v -> nodeState(agent.node()) == NodeStatus.State.DOWN);
        ApiException e = apiError(agent.awaitEnd());
        assertEquals(ErrorCode.UNAVAILABLE, e.code());

        StoreView v = m.store.await("a replacement, held for the restart delay",
                x -> tasks(x, "web", desired(TaskState.READY)).size() == 1);
        assertEquals(TaskState.SHUTDOWN, v.tasks().get(t.id()).desiredState());
        Task replacement = tasks(v, "web", desired(TaskState.READY)).getFirst();
        assertEquals(1L, replacement.slot());
        m.clock().advance(Duration.ofSeconds(5));
        v = m.store.await("the replacement to be started and waiting for a node",
                x -> x.tasks().get(replacement.id()).desiredState() == TaskState.RUNNING
                        && "no suitable node (2 nodes not available for new tasks)".equals(x.tasks().get(replacement.id()).status().err()));
        assertEquals(2, tasksOf(v, "web").size());
    }

    @Test
    void aNodeThatComesBackIsReadyAgainAndStopsWhatWasReplaced() {
        NodeId id = NodeId.random();
        TestAgent agent = m.agent(id, "n1");
        Task t = runService(agent, "web", 1).tasks().getFirst();
        agent.report(t.id(), TaskState.RUNNING);
        m.store.await("the task to run", v -> v.tasks().get(t.id()).state() == TaskState.RUNNING);
        m.clock().advance(HEARTBEAT.multipliedBy(3));
        agent.awaitEnd();
        m.store.await("the old task to be shut down", v -> v.tasks().get(t.id()).desiredState() == TaskState.SHUTDOWN);

        TestAgent back = m.agent(id, "n1");
        Assignments set = back.await("the old task, to stop", a -> a.tasks().stream().anyMatch(x -> x.id().equals(t.id())));
        assertEquals(TaskState.SHUTDOWN, set.tasks().stream().filter(x -> x.id().equals(t.id())).findFirst().orElseThrow().desiredState());
        assertEquals(NodeStatus.State.READY, m.store.await("the node to be ready", v -> nodeState(id) == NodeStatus.State.READY).nodes().get(id).status().state());
    }

    @Test
    void aSessionThatEndsLeavesTheNodeDisconnected() {
        TestAgent agent = m.agent("n1");
        agent.await("the first set", a -> true);
        m.store.await("the node to be ready", v -> nodeState(agent.node()) == NodeStatus.State.READY);
        agent.leave();
        m.store.await("the node to be disconnected", v -> nodeState(agent.node()) == NodeStatus.State.DISCONNECTED);
    }

    @Test
    void aNewSessionOfTheSameNodeReplacesTheOldOne() {
        NodeId id = NodeId.random();
        TestAgent first = m.agent(id, "n1");
        first.await("the first set", a -> true);
        TestAgent second = m.agent(id, "n1");
        second.await("the first set", a -> true);
        assertEquals(ErrorCode.UNAVAILABLE, apiError(first.awaitEnd()).code());
        Task t = runService(second, "web", 1).tasks().getFirst();
        assertEquals(id, t.nodeId());
        assertEquals(NodeStatus.State.READY, nodeState(id));
    }
}
