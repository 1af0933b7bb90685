package dev.shoal.controlplane.orchestrator.update;

import static dev.shoal.controlplane.testing.Views.tasks;
import static dev.shoal.controlplane.testing.Views.tasksOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.controlplane.orchestrator.Tasks;
import dev.shoal.controlplane.orchestrator.restart.RestartSupervisor;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.Loops;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The updater with the restart supervisor (which starts the held tasks of a stop-first update) on
 * a real store; the test plays the node and the scheduler.
 */
class UpdaterTest {
    private static final TaskSpec V2 = new TaskSpec(ContainerSpec.of("busybox:v2", "httpd", "-f"), null, null);

    private final VirtualClock clock = VirtualClock.create();
    private TestStore store;
    private Loops loops;
    private Node n1;

    @BeforeEach
    void start() {
        store = TestStore.start();
        n1 = Fixtures.readyNode("n1", clock.instant());
        store.commit(Change.create(n1));
    }

    @AfterEach
    void stop() {
        loops.close();
        store.close();
    }

    private void run(boolean withRestartSupervisor) {
        loops = new Loops(store.store(), clock).run(new Updater(store.store(), clock));
        if (withRestartSupervisor) {
            loops.run(new RestartSupervisor(store.store(), clock));
        }
    }

    /** A service with {@code replicas} tasks RUNNING on n1, then its template changed to {@link #V2}. */
    private Service updatedService(String name, int replicas) {
        Service s = Fixtures.service(Fixtures.spec(name, replicas), clock.instant());
        List<Change> changes = new ArrayList<>(List.of(Change.create(s)));
        for (long slot = 1; slot <= replicas; slot++) {
            changes.add(Change.create(Fixtures.task(s, slot, TaskState.RUNNING, TaskState.RUNNING, n1.id(), clock.instant())));
        }
        Service stored = store.commit(changes).services().get(s.id());
        clock.advance(Duration.ofSeconds(1));
        return store.commit(Change.update(updated(stored, V2))).services().get(s.id());
    }

    /** What ControlApi.serviceUpdate commits for a new template: the spec, and a rollout started. */
    private Service updated(Service s, TaskSpec template) {
        return s.withSpec(s.spec().withTaskTemplate(template), clock.instant())
                .withUpdateStatus(new UpdateStatus(UpdateStatus.State.UPDATING, clock.instant(), null, "update in progress"));
    }

    private static List<Task> fresh(StoreView v, String service) {
        return tasks(v, service, t -> V2.equals(t.spec()));
    }

    /** Plays the node: the old task stops, the new one is assigned and runs once it is started. */
    private Task stopOldAndRunNew(String service, long slot) {
        Task old = tasks(store.view(), service, t -> t.slot() == slot && !V2.equals(t.spec()) && t.state() == TaskState.RUNNING).getFirst();
        store.commit(Change.update(Fixtures.reported(old, TaskState.SHUTDOWN, clock.instant())));
        StoreView v = store.await("slot " + slot + "'s new task to start",
                x -> fresh(x, service).stream().anyMatch(t -> t.slot() == slot && t.desiredState() == TaskState.RUNNING));
        Task next = fresh(v, service).stream().filter(t -> t.slot() == slot).findFirst().orElseThrow();
        store.commit(Change.update(Fixtures.reported(next.withNode(n1.id(), next.status(), clock.instant()), TaskState.RUNNING, clock.instant())));
        return next;
    }

    @Test
    void replacesOutdatedTasksOneSlotAtATimeStoppingTheOldOneFirst() {
        run(true);
        updatedService("web", 3);
        for (long slot = 1; slot <= 3; slot++) {
            long s = slot;
            StoreView v = store.await("slot " + slot + " to be replaced", x -> fresh(x, "web").size() == s);
            Task created = fresh(v, "web").stream().filter(t -> t.slot() == s).findFirst().orElseThrow();
            assertEquals(TaskState.READY, created.desiredState(), "held until the old task has stopped");
            assertEquals(1, tasks(v, "web", t -> t.slot() == s && t.desiredState() == TaskState.SHUTDOWN).size());
            assertEquals(3 - slot, tasks(v, "web", t -> !V2.equals(t.spec()) && t.desiredState() == TaskState.RUNNING).size(),
                    "the other outdated slots wait");
            stopOldAndRunNew("web", slot);
        }
        StoreView v = store.await("every slot to run the new template", x -> fresh(x, "web").stream().allMatch(t -> t.state() == TaskState.RUNNING)
                && fresh(x, "web").size() == 3);
        assertEquals(3, tasks(v, "web", Tasks::isRunnable).size());
    }

    @Test
    void aFailedNewTaskPausesTheUpdate() {
        run(false);
        updatedService("web", 3);
        Service probe = updatedService("probe", 1);
        StoreView v = store.await("slot 1 to be replaced", x -> fresh(x, "web").size() == 1);
        Task created = fresh(v, "web").getFirst();
        Task old = tasks(v, "web", t -> t.slot() == 1 && t.desiredState() == TaskState.SHUTDOWN).getFirst();
        clock.advance(Duration.ofSeconds(1));
        store.commit(Change.update(Fixtures.reported(old, TaskState.SHUTDOWN, clock.instant())),
                Change.update(Fixtures.reported(created.withNode(n1.id(), created.status(), clock.instant())
                        .withDesiredState(TaskState.RUNNING, clock.instant()), TaskState.FAILED, clock.instant())));
        // a later pass has run once the probe service, updated after the failure, gets its new task
        clock.advance(Duration.ofSeconds(1));
        Service p = store.view().services().get(probe.id());
        store.commit(Change.update(updated(p, new TaskSpec(ContainerSpec.of("busybox:v3"), null, null))));
        store.await("the probe to be updated", x -> tasksOf(x, "probe").size() == 3);
        assertEquals(1, fresh(store.view(), "web").size(), "paused: slots 2 and 3 keep the old template");
        assertTrue(tasks(store.view(), "web", t -> t.slot() > 1).stream().allMatch(t -> t.desiredState() == TaskState.RUNNING));
    }
}
