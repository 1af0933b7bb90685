package dev.shoal.controlplane.orchestrator.taskreaper;

import static dev.shoal.controlplane.testing.Views.tasksOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.RestartPolicy.Condition;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.Loops;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The task reaper alone on a real store. */
class TaskReaperTest {
    private final VirtualClock clock = VirtualClock.create();
    private final Instant now = clock.instant();
    private TestStore store;
    private Loops loops;
    private Node n1;

    @BeforeEach
    void start() {
        store = TestStore.start();
        n1 = Fixtures.readyNode("n1", now);
        store.commit(Change.create(n1));
    }

    @AfterEach
    void stop() {
        loops.close();
        store.close();
    }

    private void run() {
        loops = new Loops(store.store(), clock).run(new TaskReaper(store.store(), clock));
    }

    /** Slot 1 of a new service: one running task and {@code history} older ones that failed, oldest first. */
    private List<Task> slotWithHistory(ServiceSpec spec, int history) {
        Service s = Fixtures.service(spec, now);
        List<Change> changes = new ArrayList<>(List.of(Change.create(s)));
        List<Task> tasks = new ArrayList<>();
        for (int i = history; i >= 1; i--) {
            tasks.add(Fixtures.task(s, 1, TaskState.FAILED, TaskState.SHUTDOWN, n1.id(), now.minusSeconds(10L * i)));
        }
        tasks.add(Fixtures.task(s, 1, TaskState.RUNNING, TaskState.RUNNING, n1.id(), now));
        tasks.forEach(t -> changes.add(Change.create(t)));
        store.commit(changes);
        return tasks;
    }

    /** Waits for a pass that started after everything committed so far: a probe's removed task disappears. */
    private StoreView settle() {
        Service probe = Fixtures.service(Fixtures.spec("probe-" + store.view().index(), 1), now);
        Task t = Fixtures.task(probe, 1, TaskState.NEW, TaskState.REMOVE, null, now);
        store.commit(Change.create(probe), Change.create(t));
        return store.await("the probe task to be reaped", v -> !v.tasks().containsKey(t.id()));
    }

    @Test
    void keepsFiveTasksPerSlotByDefaultDeletingTheOldestFirst() {
        List<Task> slot = slotWithHistory(Fixtures.spec("web", 1), 7);
        run();
        StoreView v = store.await("the slot to keep 5 tasks", x -> tasksOf(x, "web").size() == 5);
        assertEquals(slot.subList(3, 8).stream().map(Task::id).toList(), tasksOf(v, "web").stream().map(Task::id).toList(),
                "the running task and the 4 newest failed ones");
    }

    @Test
    void theHistoryLimitComesFromTheSwarmSpec() {
        store.commit(Change.create(Fixtures.swarm(new SwarmSpec("default", new SwarmSpec.Orchestration(2L), null), now)));
        List<Task> slot = slotWithHistory(Fixtures.spec("web", 1), 4);
        run();
        StoreView v = store.await("the slot to keep 2 tasks", x -> tasksOf(x, "web").size() == 2);
        assertEquals(slot.subList(3, 5).stream().map(Task::id).toList(), tasksOf(v, "web").stream().map(Task::id).toList());
    }

    @Test
    void aSlotWithinTheLimitIsLeftAlone() {
        slotWithHistory(Fixtures.spec("web", 1), 4);
        run();
        assertEquals(5, tasksOf(settle(), "web").size());
    }

    @Test
    void tasksThatStillCountAgainstMaxAttemptsAreKept() {
        slotWithHistory(Fixtures.spec("web", 1, Fixtures.restart(Condition.ANY, Duration.ZERO, 6, Duration.ZERO)), 7);
        run();
        assertEquals(7, tasksOf(settle(), "web").size(), "the 6 newest failures count against MaxAttempts 6");
    }

    @Test
    void removedTasksAreDeletedOnceTheyHaveStopped() {
        Node down = Fixtures.node("n2", NodeStatus.State.DOWN, NodeSpec.Availability.ACTIVE, now);
        Service s = Fixtures.service(Fixtures.spec("web", 0), now);
        Task stillRunning = Fixtures.task(s, 1, TaskState.RUNNING, TaskState.REMOVE, n1.id(), now);
        Task stopped = Fixtures.task(s, 2, TaskState.SHUTDOWN, TaskState.REMOVE, n1.id(), now);
        Task neverAssigned = Fixtures.task(s, 3, TaskState.PENDING, TaskState.REMOVE, null, now);
        Task onDownNode = Fixtures.task(s, 4, TaskState.RUNNING, TaskState.REMOVE, down.id(), now);
        store.commit(Change.create(down), Change.create(s), Change.create(stillRunning), Change.create(stopped),
                Change.create(neverAssigned), Change.create(onDownNode));
        run();
        StoreView v = store.await("the stopped tasks to be deleted", x -> tasksOf(x, "web").size() == 1);
        assertEquals(stillRunning.id(), tasksOf(v, "web").getFirst().id(), "a running task is deleted only once it has stopped");
        store.commit(Change.update(Fixtures.reported(v.tasks().get(stillRunning.id()), TaskState.SHUTDOWN, now)));
        store.await("the last task to be deleted once it stopped", x -> tasksOf(x, "web").isEmpty());
    }

    @Test
    void tasksOfADeletedServiceDisappearOnceShutDown() {
        Service s = Fixtures.service(Fixtures.spec("web", 1), now);
        Task t = Fixtures.task(s, 1, TaskState.RUNNING, TaskState.RUNNING, n1.id(), now);
        store.commit(Change.create(t));
        run();
        StoreView v = store.await("the orphan to get desired remove", x -> x.tasks().get(t.id()).desiredState() == TaskState.REMOVE);
        store.commit(Change.update(Fixtures.reported(v.tasks().get(t.id()), TaskState.SHUTDOWN, now)));
        store.await("the orphan to be deleted", x -> !x.tasks().containsKey(t.id()));
        assertTrue(store.view().tasks().isEmpty());
    }
}
