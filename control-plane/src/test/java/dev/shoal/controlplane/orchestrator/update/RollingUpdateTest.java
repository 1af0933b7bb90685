package dev.shoal.controlplane.orchestrator.update;

import static dev.shoal.controlplane.testing.Views.tasks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.controlplane.orchestrator.replicated.ReplicatedOrchestrator;
import dev.shoal.controlplane.orchestrator.restart.RestartSupervisor;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.FakeNodes;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.Loops;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The update config end to end in the control plane: updater, replicated orchestrator and restart
 * supervisor on a real store, with {@link FakeNodes} playing the scheduler and a node. Each test
 * is one feature of {@code service update}.
 */
class RollingUpdateTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ContainerSpec V1 = ContainerSpec.of("busybox:v1", "httpd", "-f");
    private static final ContainerSpec V2 = ContainerSpec.of("busybox:v2", "httpd", "-f");
    private static final ContainerSpec BROKEN = ContainerSpec.of("busybox:broken", "false");

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
        if (loops != null) {
            loops.close();
        }
        store.close();
    }

    private Loops leader() {
        return new Loops(store.store(), clock)
                .run(new Updater(store.store(), clock))
                .run(new ReplicatedOrchestrator(store.store(), clock))
                .run(new RestartSupervisor(store.store(), clock))
                .run(FakeNodes.failing(store.store(), clock, n1.id(), spec -> spec.containerSpec().equals(BROKEN)));
    }

    private static ServiceSpec spec(ContainerSpec c, int replicas, UpdateConfig update) {
        return new ServiceSpec("web", null, new TaskSpec(c, Fixtures.restart(dev.shoal.api.model.RestartPolicy.Condition.ANY,
                Duration.ZERO, 0, Duration.ZERO), null), dev.shoal.api.model.ServiceMode.replicated(replicas)).withUpdateConfig(update);
    }

    private Service created(ServiceSpec spec) {
        Service s = Fixtures.service(spec, clock.instant());
        store.commit(Change.create(s));
        store.await("all running", v -> running(v, spec.taskTemplate().containerSpec()) == spec.replicas());
        return store.view().services().get(s.id());
    }

    /** What ControlApi.serviceUpdate commits. */
    private Service update(Service s, ContainerSpec to) {
        clock.advance(Duration.ofMillis(10));
        Service current = store.view().services().get(s.id());
        Service next = current.withSpec(current.spec().withTaskTemplate(current.spec().taskTemplate().withContainerSpec(to)), clock.instant())
                .withUpdateStatus(new UpdateStatus(UpdateStatus.State.UPDATING, clock.instant(), null, "update in progress"));
        store.commit(Change.update(next));
        return next;
    }

    private static long running(StoreView v, ContainerSpec c) {
        return tasks(v, "web", t -> t.state() == TaskState.RUNNING && t.spec().containerSpec().equals(c)).size();
    }

    private UpdateStatus.State state(StoreView v) {
        UpdateStatus st = v.serviceByName("web").orElseThrow().updateStatus();
        return st == null ? null : st.state();
    }


    @Test
    void parallelismTwoReplacesTwoSlotsAtATime() {
        loops = leader();
        Service s = created(spec(V1, 6, new UpdateConfig(2L, 0L, null, SECOND, null, null)));
        AtomicInteger mostInFlight = new AtomicInteger();
        Disposable watch = store.store().watch().subscribe(e -> {
            StoreView v = store.view();
            int inFlight = tasks(v, "web", t -> t.spec().containerSpec().equals(V2) && t.state() != TaskState.RUNNING && !t.state().isTerminal()).size();
            mostInFlight.accumulateAndGet(inFlight, Math::max);
        });
        try {
            update(s, V2);
            store.awaitAdvancing(clock, "the update to complete", v -> state(v) == UpdateStatus.State.COMPLETED);
        } finally {
            watch.dispose();
        }
        assertEquals(6, running(store.view(), V2));
        assertEquals(0, running(store.view(), V1));
        assertEquals(2, mostInFlight.get(), "two new tasks on their way at a time, never more");
        assertNotNull(store.view().serviceByName("web").orElseThrow().updateStatus().completedAt());
        assertEquals("update completed", store.view().serviceByName("web").orElseThrow().updateStatus().message());
    }

    @Test
    void startFirstNeverHasFewerRunningTasksThanReplicas() {
        loops = leader();
        Service s = created(spec(V1, 4, new UpdateConfig(1L, 0L, null, SECOND, null, UpdateConfig.Order.START_FIRST)));
        AtomicLong fewest = new AtomicLong(Long.MAX_VALUE);
        AtomicLong most = new AtomicLong();
        Disposable watch = store.store().watch().subscribe(e -> {
            StoreView v = store.view();
            long r = tasks(v, "web", t -> t.state() == TaskState.RUNNING).size();
            fewest.accumulateAndGet(r, Math::min);
            most.accumulateAndGet(r, Math::max);
        });
        try {
            update(s, V2);
            store.awaitAdvancing(clock, "the update to complete", v -> state(v) == UpdateStatus.State.COMPLETED && running(v, V2) == 4);
        } finally {
            watch.dispose();
        }
        assertTrue(fewest.get() >= 4, "never fewer than 4 running, saw " + fewest.get());
        assertEquals(5, most.get(), "one extra task at a time");
    }

    @Test
    void stopFirstStopsTheOldTaskBeforeTheNewOneStarts() {
        loops = leader();
        Service s = created(spec(V1, 3, new UpdateConfig(1L, 0L, null, SECOND, null, UpdateConfig.Order.STOP_FIRST)));
        AtomicLong most = new AtomicLong();
        Disposable watch = store.store().watch().subscribe(e -> most.accumulateAndGet(
                tasks(store.view(), "web", t -> t.state() == TaskState.RUNNING).size(), Math::max));
        try {
            update(s, V2);
            store.awaitAdvancing(clock, "the update to complete", v -> state(v) == UpdateStatus.State.COMPLETED);
        } finally {
            watch.dispose();
        }
        assertEquals(3, most.get(), "never more than 3 running");
        assertEquals(3, running(store.view(), V2));
    }

    @Test
    void delayWaitsBetweenBatches() {
        loops = leader();
        Service s = created(spec(V1, 3, new UpdateConfig(1L, 10 * SECOND, null, SECOND, null, null)));
        update(s, V2);
        store.await("the first slot updated", v -> running(v, V2) == 1);
        clock.advance(Duration.ofSeconds(5));
        StoreView v = store.await("still one", x -> running(x, V2) == 1);
        assertEquals(1, tasks(v, "web", t -> t.spec().containerSpec().equals(V2)).size(), "the second batch waits out the delay");
        clock.advance(Duration.ofSeconds(6));
        store.await("the second slot after the delay", x -> running(x, V2) == 2);
    }

    @Test
    void aFailureWithActionPausePausesWithTheTaskNamed() {
        loops = leader();
        Service s = created(spec(V1, 3, new UpdateConfig(1L, 0L, UpdateConfig.FailureAction.PAUSE, 5 * SECOND, null, null)));
        update(s, BROKEN);
        StoreView v = store.awaitAdvancing(clock, "the update to pause", x -> state(x) == UpdateStatus.State.PAUSED);
        UpdateStatus st = v.serviceByName("web").orElseThrow().updateStatus();
        assertTrue(st.message().startsWith("update paused due to failure or early termination of task "), st.message());
        assertNull(st.completedAt());
        clock.advance(Duration.ofSeconds(30));
        StoreView later = store.await("paused", x -> state(x) == UpdateStatus.State.PAUSED);
        assertEquals(2, running(later, V1), "the other slots are left alone while paused");
    }

    @Test
    void aFailureWithActionContinueGoesOn() {
        loops = leader();
        Service s = created(spec(V1, 2, new UpdateConfig(1L, 0L, UpdateConfig.FailureAction.CONTINUE, 5 * SECOND, null, null)));
        update(s, BROKEN);
        StoreView v = store.awaitAdvancing(clock, "both slots tried", x -> tasks(x, "web",
                t -> t.spec().containerSpec().equals(BROKEN) && t.state() == TaskState.FAILED).stream().map(Task::slot).distinct().count() == 2);
        assertEquals(UpdateStatus.State.UPDATING, state(v));
    }

    @Test
    void aFailureWithActionRollbackReturnsThePreviousSpecEverywhere() {
        loops = leader();
        ServiceSpec v1 = spec(V1, 3, new UpdateConfig(1L, 0L, UpdateConfig.FailureAction.ROLLBACK, 5 * SECOND, null, null))
                .withRollbackConfig(new UpdateConfig(0L, 0L, null, SECOND, null, null));
        Service s = created(v1);
        update(s, BROKEN);
        StoreView v = store.awaitAdvancing(clock, "the rollback to complete", x -> state(x) == UpdateStatus.State.ROLLBACK_COMPLETED && running(x, V1) == 3);
        Service after = v.serviceByName("web").orElseThrow();
        assertEquals(v1.taskTemplate(), after.spec().taskTemplate());
        assertEquals(BROKEN, after.previousSpec().taskTemplate().containerSpec());
        assertEquals("rollback completed", after.updateStatus().message());
        assertEquals(0, tasks(v, "web", t -> t.spec().containerSpec().equals(BROKEN) && !t.desiredState().isTerminal()).size());
    }

    @Test
    void aFailureRatioToleratesFailuresBelowIt() {
        loops = new Loops(store.store(), clock)
                .run(new Updater(store.store(), clock))
                .run(new ReplicatedOrchestrator(store.store(), clock))
                .run(new RestartSupervisor(store.store(), clock));
        Service s = Fixtures.service(spec(V1, 4, new UpdateConfig(4L, 0L, UpdateConfig.FailureAction.PAUSE, 5 * SECOND, 0.5, null)), clock.instant());
        store.commit(Change.create(s));
        // the test plays the node: one of the four new tasks fails, the others run
        StoreView first = store.await("4 tasks", v -> tasks(v, "web", t -> true).size() == 4);
        List<Change> up = new ArrayList<>();
        tasks(first, "web", t -> true).forEach(t -> up.add(Change.update(t.withNode(n1.id(), dev.shoal.api.model.TaskStatus.of(TaskState.RUNNING, "started", clock.instant()), clock.instant()))));
        store.commit(up);
        update(s, V2);
        StoreView batch = store.await("4 new tasks", v -> tasks(v, "web", t -> t.spec().containerSpec().equals(V2)).size() == 4);
        List<Task> fresh = tasks(batch, "web", t -> t.spec().containerSpec().equals(V2));
        List<Change> report = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            Task t = fresh.get(i).withNode(n1.id(), fresh.get(i).status(), clock.instant()).withDesiredState(TaskState.RUNNING, clock.instant());
            report.add(Change.update(t.withStatus(i == 0 ? new dev.shoal.api.model.TaskStatus(clock.instant(), TaskState.FAILED, "failed", "exit 1", null)
                    : dev.shoal.api.model.TaskStatus.of(TaskState.RUNNING, "started", clock.instant()), clock.instant())));
        }
        store.commit(report);
        clock.advance(Duration.ofSeconds(1));
        StoreView v = store.await("still updating", x -> state(x) == UpdateStatus.State.UPDATING);
        assertEquals(UpdateStatus.State.UPDATING, state(v), "1 failure of 4 is below the 0.5 ratio");
    }

    @Test
    void aFailureAfterTheMonitorWindowDoesNotCount() {
        loops = leader();
        Service s = created(spec(V1, 2, new UpdateConfig(1L, 0L, UpdateConfig.FailureAction.PAUSE, 2 * SECOND, null, null)));
        update(s, V2);
        store.await("the first slot updated", v -> running(v, V2) == 1);
        clock.advance(Duration.ofSeconds(3));
        Task first = tasks(store.view(), "web", t -> t.spec().containerSpec().equals(V2) && t.state() == TaskState.RUNNING).getFirst();
        store.commit(Change.update(first.withStatus(new dev.shoal.api.model.TaskStatus(clock.instant(), TaskState.FAILED, "failed", "exit 1", null), clock.instant())));
        StoreView v = store.awaitAdvancing(clock, "the update to complete", x -> state(x) == UpdateStatus.State.COMPLETED);
        assertEquals(2, running(v, V2));
    }

    @Test
    void aNewerUpdateInterruptsTheRunningOneCleanly() {
        loops = leader();
        ContainerSpec v3 = ContainerSpec.of("busybox:v3", "httpd", "-f");
        Service s = created(spec(V1, 4, new UpdateConfig(1L, 10 * SECOND, null, SECOND, null, null)));
        update(s, V2);
        store.await("the first slot on v2", v -> running(v, V2) == 1);
        update(s, v3);
        StoreView v = store.awaitAdvancing(clock, "all on v3", x -> running(x, v3) == 4 && state(x) == UpdateStatus.State.COMPLETED);
        assertEquals(1, tasks(v, "web", t -> t.spec().containerSpec().equals(V2)).size(), "no v2 task was started after v3 was asked for");
        assertEquals(0, running(v, V2) + running(v, V1));
    }

    @Test
    void aNewLeaderResumesTheUpdateWhereTheOldOneWas() {
        loops = leader();
        Service s = created(spec(V1, 4, new UpdateConfig(1L, 10 * SECOND, null, SECOND, null, null)));
        update(s, V2);
        store.await("the first slot on v2", v -> running(v, V2) == 1);
        loops.close();
        loops = leader();
        StoreView v = store.awaitAdvancing(clock, "all on v2", x -> running(x, V2) == 4 && state(x) == UpdateStatus.State.COMPLETED);
        assertEquals(4, tasks(v, "web", t -> t.spec().containerSpec().equals(V2)).size(), "each slot replaced once");
    }

    @Test
    void aManualRollbackUsesTheRollbackConfig() {
        loops = leader();
        ServiceSpec v1 = spec(V1, 4, new UpdateConfig(1L, 0L, null, SECOND, null, null))
                .withRollbackConfig(new UpdateConfig(0L, 0L, null, SECOND, null, null));
        Service s = created(v1);
        update(s, V2);
        store.awaitAdvancing(clock, "v2 everywhere", x -> state(x) == UpdateStatus.State.COMPLETED);
        AtomicInteger mostInFlight = new AtomicInteger();
        Disposable watch = store.store().watch().subscribe(e -> mostInFlight.accumulateAndGet(tasks(store.view(), "web",
                t -> t.spec().containerSpec().equals(V1) && t.state() != TaskState.RUNNING && !t.state().isTerminal()).size(), Math::max));
        try {
            Service current = store.view().serviceByName("web").orElseThrow();
            store.commit(Change.update(current.rolledBack(new UpdateStatus(UpdateStatus.State.ROLLBACK_STARTED, clock.instant(), null,
                    "manually requested rollback"), clock.instant())));
            store.awaitAdvancing(clock, "rolled back", x -> state(x) == UpdateStatus.State.ROLLBACK_COMPLETED && running(x, V1) == 4);
        } finally {
            watch.dispose();
        }
        assertEquals(4, mostInFlight.get(), "parallelism 0 in the rollback config: all four at once");
    }

    @Test
    void failuresOfAServiceThatIsNotBeingUpdatedAreTheRestartPolicysNotTheUpdaters() {
        loops = leader();
        Service s = Fixtures.service(spec(BROKEN, 2, new UpdateConfig(1L, 0L, UpdateConfig.FailureAction.PAUSE, 5 * SECOND, null, null)), clock.instant());
        store.commit(Change.create(s));
        store.awaitAdvancing(clock, "restarts after failures", x -> tasks(x, "web", t -> t.state() == TaskState.FAILED).size() >= 4);
        assertNull(state(store.view()), "no update status: nothing was updated");
    }
}
