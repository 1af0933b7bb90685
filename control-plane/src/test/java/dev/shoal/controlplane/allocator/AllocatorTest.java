package dev.shoal.controlplane.allocator;

import static dev.shoal.controlplane.testing.Views.observed;
import static dev.shoal.controlplane.testing.Views.tasks;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The allocator alone on a real store. */
class AllocatorTest {
    private final VirtualClock clock = VirtualClock.create();
    private final Instant now = clock.instant();
    private TestStore store;
    private Loops loops;

    @BeforeEach
    void start() {
        store = TestStore.start();
        loops = new Loops(store.store(), clock).run(new Allocator(store.store(), clock));
    }

    @AfterEach
    void stop() {
        loops.close();
        store.close();
    }

    @Test
    void movesNewTasksToPendingAllInOneCommit() {
        Service s = Fixtures.service(Fixtures.spec("web", 50), now);
        List<Change> changes = new ArrayList<>(List.of(Change.create(s)));
        for (long slot = 1; slot <= 50; slot++) {
            changes.add(Change.create(Fixtures.task(s, slot, TaskState.NEW, TaskState.RUNNING, null, now)));
        }
        Task stopped = Fixtures.task(s, 51, TaskState.NEW, TaskState.SHUTDOWN, null, now);
        changes.add(Change.create(stopped));
        store.commit(changes);
        StoreView v = store.await("50 pending tasks", x -> tasks(x, "web", observed(TaskState.PENDING)).size() == 50);
        List<Task> pending = tasks(v, "web", observed(TaskState.PENDING));
        assertEquals(1, pending.stream().map(Task::version).distinct().count(), "one transaction");
        assertEquals("pending task scheduling", pending.getFirst().status().message());
        assertEquals(TaskState.NEW, v.tasks().get(stopped.id()).state(), "a task no longer meant to run is not allocated");
    }
}
