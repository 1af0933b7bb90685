package dev.shoal.controlplane.orchestrator.replicated;

import static dev.shoal.controlplane.testing.Views.desired;
import static dev.shoal.controlplane.testing.Views.tasks;
import static dev.shoal.controlplane.testing.Views.tasksOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.api.model.Node;
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
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replicated orchestrator alone on a real store; the test plays the other services' part. */
class ReplicatedOrchestratorTest {
    private final VirtualClock clock = VirtualClock.create();
    private final Instant now = clock.instant();
    private TestStore store;
    private Loops loops;

    @BeforeEach
    void start() {
        store = TestStore.start();
        loops = new Loops(store.store(), clock).run(new ReplicatedOrchestrator(store.store(), clock));
    }

    @AfterEach
    void stop() {
        loops.close();
        store.close();
    }

    /** Waits for a pass that started after everything committed so far: a probe service gets its task. */
    private StoreView settle() {
        String probe = "probe-" + store.view().index();
        store.commit(Change.create(Fixtures.service(Fixtures.spec(probe, 1), now)));
        return store.await("the probe's task", v -> !tasksOf(v, probe).isEmpty());
    }

    /** A service with one task per slot, all RUNNING on {@code node} except the slots listed as {@code starting}. */
    private Service runningService(String name, int replicas, Node node, long... starting) {
        Service s = Fixtures.service(Fixtures.spec(name, replicas), now);
        List<Change> changes = new ArrayList<>(List.of(Change.create(node), Change.create(s)));
        for (long slot = 1; slot <= replicas; slot++) {
            long k = slot;
            TaskState observed = LongStream.of(starting).anyMatch(x -> x == k) ? TaskState.STARTING : TaskState.RUNNING;
            changes.add(Change.create(Fixtures.task(s, slot, observed, TaskState.RUNNING, node.id(), now)));
        }
        return store.commit(changes).services().get(s.id());
    }

    private void scale(Service s, long replicas) {
        Service current = store.view().services().get(s.id());
        store.commit(Change.update(current.withSpec(current.spec().withReplicas(replicas), now)));
    }

    @Test
    void createsOneTaskPerSlotAllInOneCommit() {
        Service s = Fixtures.service(Fixtures.spec("web", 50), now);
        store.commit(Change.create(s));
        StoreView v = store.await("50 tasks", x -> tasksOf(x, "web").size() == 50);
        List<Task> tasks = tasksOf(v, "web");
        assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(), tasks.stream().map(Task::slot).toList());
        Service stored = v.services().get(s.id());
        for (Task t : tasks) {
            assertEquals(TaskState.NEW, t.state());
            assertEquals(TaskState.RUNNING, t.desiredState());
            assertEquals(stored.spec().taskTemplate(), t.spec());
            assertEquals(stored.version(), t.serviceVersion());
            assertEquals(tasks.getFirst().version(), t.version(), "every task was created by the same transaction");
        }
    }

    @Test
    void zeroReplicasMakeNoTasks() {
        store.commit(Change.create(Fixtures.service(Fixtures.spec("web", 0), now)));
        assertEquals(List.of(), tasksOf(settle(), "web"));
    }

    @Test
    void scalingDownRemovesTheHighestSlotsFirst() {
        Service s = runningService("web", 5, Fixtures.readyNode("n1", now));
        scale(s, 2);
        StoreView v = store.await("3 tasks to remove", x -> tasks(x, "web", desired(TaskState.REMOVE)).size() == 3);
        assertEquals(List.of(3L, 4L, 5L), tasks(v, "web", desired(TaskState.REMOVE)).stream().map(Task::slot).toList());
        assertEquals(List.of(1L, 2L), tasks(v, "web", desired(TaskState.RUNNING)).stream().map(Task::slot).toList());
    }

    @Test
    void scalingDownRemovesTasksThatAreNotRunningFirst() {
        Service s = runningService("web", 3, Fixtures.readyNode("n1", now), 1);
        scale(s, 2);
        StoreView v = store.await("a task to remove", x -> !tasks(x, "web", desired(TaskState.REMOVE)).isEmpty());
        assertEquals(List.of(1L), tasks(v, "web", desired(TaskState.REMOVE)).stream().map(Task::slot).toList());
    }

    @Test
    void scalingUpFillsTheLowestFreeSlotsAndKeepsTheirHistory() {
        Node n1 = Fixtures.readyNode("n1", now);
        Service s = Fixtures.service(Fixtures.spec("web", 3), now);
        Task one = Fixtures.task(s, 1, TaskState.RUNNING, TaskState.RUNNING, n1.id(), now);
        Task twoFailed = Fixtures.task(s, 2, TaskState.FAILED, TaskState.SHUTDOWN, n1.id(), now);
        Task four = Fixtures.task(s, 4, TaskState.RUNNING, TaskState.RUNNING, n1.id(), now);
        store.commit(Change.create(n1), Change.create(s), Change.create(one), Change.create(twoFailed), Change.create(four));
        StoreView v = store.await("a task in slot 2", x -> tasks(x, "web", desired(TaskState.RUNNING)).size() == 3);
        assertEquals(List.of(1L, 2L, 4L), tasks(v, "web", desired(TaskState.RUNNING)).stream().map(Task::slot).toList());
        assertEquals(4, tasksOf(v, "web").size(), "slot 2's failed task stays as history");
    }

    @Test
    void aSlotWhoseTaskCompletedUnderItsRestartPolicyIsNotRefilled() {
        Node n1 = Fixtures.readyNode("n1", now);
        Service s = Fixtures.service(Fixtures.spec("job", 1), now);
        Task done = Fixtures.task(s, 1, TaskState.COMPLETE, TaskState.COMPLETE, n1.id(), now);
        store.commit(Change.create(n1), Change.create(s), Change.create(done));
        assertEquals(List.of(done.id()), tasksOf(settle(), "job").stream().map(Task::id).toList());
    }

    @Test
    void aSlotWhoseTaskWasRemovedIsRefilled() {
        Node n1 = Fixtures.readyNode("n1", now);
        Service s = runningService("web", 1, n1);
        Task t = tasksOf(store.view(), "web").getFirst();
        store.commit(Change.update(t.withDesiredState(TaskState.REMOVE, now)));
        StoreView v = store.await("a new task", x -> tasks(x, "web", desired(TaskState.RUNNING)).size() == 1);
        assertEquals(1L, tasks(v, "web", desired(TaskState.RUNNING)).getFirst().slot());
        assertEquals(s.id(), tasks(v, "web", desired(TaskState.RUNNING)).getFirst().serviceId());
    }
}
