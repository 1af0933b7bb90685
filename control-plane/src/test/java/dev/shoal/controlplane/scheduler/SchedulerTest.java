package dev.shoal.controlplane.scheduler;

import static dev.shoal.controlplane.testing.Views.observed;
import static dev.shoal.controlplane.testing.Views.tasks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.Loops;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.VirtualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler alone on a real store. */
class SchedulerTest {
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

    /** A service with {@code pending} tasks waiting to be scheduled. */
    private List<Task> pending(String name, int pending) {
        Service s = Fixtures.service(Fixtures.spec(name, pending), now);
        List<Change> changes = new ArrayList<>(List.of(Change.create(s)));
        List<Task> tasks = new ArrayList<>();
        for (long slot = 1; slot <= pending; slot++) {
            tasks.add(Fixtures.task(s, slot, TaskState.PENDING, TaskState.RUNNING, null, now));
        }
        tasks.forEach(t -> changes.add(Change.create(t)));
        store.commit(changes);
        return tasks;
    }

    @Test
    void assignsFiftyTasksInOneCommitSpreadOverTheReadyNodes() {
        Node n1 = Fixtures.readyNode("n1", now);
        Node n2 = Fixtures.readyNode("n2", now);
        store.commit(Change.create(n1), Change.create(n2));
        pending("web", 50);
        StoreView v = store.await("50 assigned tasks", x -> tasks(x, "web", observed(TaskState.ASSIGNED)).size() == 50);
        List<Task> assigned = tasks(v, "web", observed(TaskState.ASSIGNED));
        assertEquals(1, assigned.stream().map(Task::version).distinct().count(), "one transaction");
        assertEquals(Map.of(n1.id(), 25L, n2.id(), 25L), assigned.stream().collect(Collectors.groupingBy(Task::nodeId, Collectors.counting())));
        assertEquals("scheduler assigned task to node", assigned.getFirst().status().message());
    }

    @Test
    void prefersTheNodeWithFewerTasksOfTheServiceThenFewerTasks() {
        Node n1 = Fixtures.readyNode("n1", now);
        Node n2 = Fixtures.readyNode("n2", now);
        Node n3 = Fixtures.readyNode("n3", now);
        Service db = Fixtures.service(Fixtures.spec("db", 2), now);
        Service web = Fixtures.service(Fixtures.spec("web", 2), now);
        store.commit(Change.create(n1), Change.create(n2), Change.create(n3), Change.create(db), Change.create(web),
                Change.create(Fixtures.task(web, 1, TaskState.RUNNING, TaskState.RUNNING, n1.id(), now)),
                Change.create(Fixtures.task(db, 1, TaskState.RUNNING, TaskState.RUNNING, n2.id(), now)),
                Change.create(Fixtures.task(db, 2, TaskState.RUNNING, TaskState.RUNNING, n2.id(), now)),
                Change.create(Fixtures.task(db, 3, TaskState.FAILED, TaskState.SHUTDOWN, n3.id(), now)));
        Task next = Fixtures.task(web, 2, TaskState.PENDING, TaskState.RUNNING, null, now);
        store.commit(Change.create(next));
        StoreView v = store.await("the task to be assigned", x -> x.tasks().get(next.id()).state() == TaskState.ASSIGNED);
        assertEquals(n3.id(), v.tasks().get(next.id()).nodeId(), "n1 runs web already, n2 runs two tasks, n3's task has ended");
    }

    @Test
    void explainsAPendingTaskWhenNoNodeIsReadyAndPlacesItOnceOneIs() {
        Node n1 = Fixtures.node("n1", NodeStatus.State.DOWN, NodeSpec.Availability.ACTIVE, now);
        store.commit(Change.create(n1));
        Task t = pending("web", 1).getFirst();
        StoreView v = store.await("an explanation", x -> x.tasks().get(t.id()).status().err() != null);
        assertEquals("no suitable node (1 node not available for new tasks)", v.tasks().get(t.id()).status().err());
        assertEquals(TaskState.PENDING, v.tasks().get(t.id()).state());

        store.commit(Change.update(v.nodes().get(n1.id()).withStatus(new NodeStatus(NodeStatus.State.READY, null, null), now)));
        v = store.await("the task to be assigned", x -> x.tasks().get(t.id()).state() == TaskState.ASSIGNED);
        assertEquals(n1.id(), v.tasks().get(t.id()).nodeId());
        assertNull(v.tasks().get(t.id()).status().err());
    }

    @Test
    void explainsEveryReasonANodeWasRefused() {
        store.commit(Change.create(Fixtures.node("n1", NodeStatus.State.DOWN, NodeSpec.Availability.ACTIVE, now)),
                Change.create(Fixtures.node("n2", NodeStatus.State.READY, NodeSpec.Availability.DRAIN, now)),
                Change.create(Fixtures.node("n3", NodeStatus.State.READY, NodeSpec.Availability.PAUSE, now)),
                Change.create(Fixtures.node("n4", NodeStatus.State.UNKNOWN, NodeSpec.Availability.DRAIN, now)));
        Task t = pending("web", 1).getFirst();
        StoreView v = store.await("an explanation", x -> x.tasks().get(t.id()).status().err() != null);
        assertEquals("no suitable node (2 nodes not available for new tasks; 2 nodes drained or paused)", v.tasks().get(t.id()).status().err());
    }

    @Test
    void explainsAPendingTaskInASwarmWithoutNodes() {
        Task t = pending("web", 1).getFirst();
        StoreView v = store.await("an explanation", x -> x.tasks().get(t.id()).status().err() != null);
        assertEquals("no suitable node (the swarm has no nodes)", v.tasks().get(t.id()).status().err());
    }

    @Test
    void pipelineExplainsByTheFirstFilterANodeFails() {
        FilterPipeline pipeline = FilterPipeline.defaults();
        NodeInfo ready = new NodeInfo(Fixtures.readyNode("a", now));
        NodeInfo down = new NodeInfo(Fixtures.node("b", NodeStatus.State.DOWN, NodeSpec.Availability.DRAIN, now));
        Task task = Fixtures.task(Fixtures.service(Fixtures.spec("web", 1), now), 1, TaskState.PENDING, TaskState.RUNNING, null, now);
        Placing t = Placing.of(task.serviceId(), task.spec(), null, name -> null);
        assertEquals(List.of(ready), pipeline.eligible(t, List.of(ready, down)));
        assertEquals("no suitable node (1 node not available for new tasks)", pipeline.explain(t, List.of(down)));
    }
}
