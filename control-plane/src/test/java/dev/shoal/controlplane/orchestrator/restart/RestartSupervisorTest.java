package dev.shoal.controlplane.orchestrator.restart;

import static dev.shoal.controlplane.testing.Views.desired;
import static dev.shoal.controlplane.testing.Views.tasks;
import static dev.shoal.controlplane.testing.Views.tasksOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.RestartPolicy.Condition;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.Loops;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The restart supervisor alone on a real store, in virtual time; the test plays the node (status
 * reports) and the scheduler (assignments) itself.
 */
class RestartSupervisorTest {
    private final VirtualClock clock = VirtualClock.create();
    private TestStore store;
    private Loops loops;
    private Node n1;

    @BeforeEach
    void start() {
        store = TestStore.start();
        n1 = Fixtures.readyNode("n1", clock.instant());
        store.commit(Change.create(n1));
        loops = new Loops(store.store(), clock).run(new RestartSupervisor(store.store(), clock));
    }

    @AfterEach
    void stop() {
        loops.close();
        store.close();
    }

    /** A one-replica service whose task runs on n1. */
    private Task running(String name, RestartPolicy policy) {
        Service s = Fixtures.service(Fixtures.spec(name, 1, policy), clock.instant());
        Task t = Fixtures.task(s, 1, TaskState.RUNNING, TaskState.RUNNING, n1.id(), clock.instant());
        store.commit(Change.create(s), Change.create(t));
        return store.view().tasks().get(t.id());
    }

    /** The node reports {@code t} in {@code state} now. */
    private void report(Task t, TaskState state) {
        Task current = store.view().tasks().get(t.id());
        store.commit(Change.update(Fixtures.reported(current, state, clock.instant())));
    }

    /** The newest task of the service with {@code desired} once there is one other than {@code previous}. */
    private Task awaitReplacement(Task previous, TaskState desired) {
        StoreView v = store.await("a replacement of " + previous.id() + " desired " + desired.wireName(),
                x -> tasks(x, previous.serviceName(), t -> !t.id().equals(previous.id()) && t.desiredState() == desired
                        && t.createdAt().compareTo(previous.createdAt()) >= 0).size() == 1
                        && x.tasks().get(previous.id()).desiredState() != TaskState.RUNNING);
        return tasks(v, previous.serviceName(), t -> !t.id().equals(previous.id()) && t.desiredState() == desired).getFirst();
    }

    /** Waits for a pass that started after everything committed so far, using a probe service. */
    private StoreView settle() {
        Task probe = running("probe-" + store.view().index(), Fixtures.restart(Condition.ANY, Duration.ZERO, 0, Duration.ZERO));
        report(probe, TaskState.FAILED);
        awaitReplacement(probe, TaskState.RUNNING);
        return store.view();
    }

    /** Fails the slot's current task and returns what replaced it (desired RUNNING), with the delay at zero. */
    private Task failAndAwaitRestart(Task t) {
        report(t, TaskState.FAILED);
        Task next = awaitReplacement(t, TaskState.RUNNING);
        store.commit(Change.update(Fixtures.reported(next.withNode(n1.id(), next.status(), clock.instant()), TaskState.RUNNING, clock.instant())));
        return store.view().tasks().get(next.id());
    }

    @Test
    void aTaskOnADrainedNodeIsShutDownAndReplacedAtOnceWhateverItsPolicy() {
        Task t = running("drained", Fixtures.restart(Condition.NONE, Duration.ofSeconds(30), 0, Duration.ZERO));
        Node current = store.view().nodes().get(n1.id());
        store.commit(Change.update(new Node(current.id(), current.version(), current.createdAt(), clock.instant(),
                new NodeSpec(null, null, NodeSpec.Role.WORKER, NodeSpec.Availability.DRAIN), current.description(), current.status(),
                current.managerStatus())));
        Task replacement = awaitReplacement(t, TaskState.RUNNING);
        assertEquals(TaskState.SHUTDOWN, store.view().tasks().get(t.id()).desiredState());
        assertEquals(t.slot(), replacement.slot());
    }

    @Test
    void conditionAnyReplacesAFailedTaskAfterTheRestartDelay() {
        Task t = running("web", Fixtures.restart(Condition.ANY, Duration.ofSeconds(10), 0, Duration.ZERO));
        report(t, TaskState.FAILED);
        Task next = awaitReplacement(t, TaskState.READY);
        assertEquals(TaskState.SHUTDOWN, store.view().tasks().get(t.id()).desiredState());
        assertEquals(1L, next.slot());
        assertEquals(TaskState.NEW, next.state());
        assertNull(next.nodeId());

        clock.advance(Duration.ofSeconds(9));
        assertEquals(TaskState.READY, store.view().tasks().get(next.id()).desiredState(), "held during the delay");
        clock.advance(Duration.ofSeconds(1));
        store.await("the replacement to start", v -> v.tasks().get(next.id()).desiredState() == TaskState.RUNNING);
    }

    @Test
    void theDefaultPolicyRestartsAfterFiveSeconds() {
        Task t = running("web", null);
        report(t, TaskState.COMPLETE);
        Task next = awaitReplacement(t, TaskState.READY);
        clock.advance(RestartPolicy.DEFAULT_DELAY.minusMillis(1));
        assertEquals(TaskState.READY, store.view().tasks().get(next.id()).desiredState());
        clock.advance(Duration.ofMillis(1));
        store.await("the replacement to start", v -> v.tasks().get(next.id()).desiredState() == TaskState.RUNNING);
    }

    @Test
    void aHeldTaskRejectedWhileBeingPreparedIsReplacedOnlyAfterTheDelay() {
        // A missing image is rejected while the held replacement is prepared: without waiting out
        // the delay this would loop, writing to the log several times a second.
        Task t = running("web", Fixtures.restart(Condition.ANY, Duration.ofSeconds(5), 0, Duration.ZERO));
        report(t, TaskState.REJECTED);
        Task held = awaitReplacement(t, TaskState.READY);
        report(held, TaskState.REJECTED);
        settle();
        assertEquals(2, tasks(store.view(), "web", x -> true).size(), "no replacement before the delay has passed");
        clock.advance(Duration.ofSeconds(5));
        Task third = awaitReplacement(held, TaskState.READY);
        assertEquals(1L, third.slot());
    }

    @Test
    void aZeroDelayStartsTheReplacementAtOnce() {
        Task t = running("web", Fixtures.restart(Condition.ANY, Duration.ZERO, 0, Duration.ZERO));
        report(t, TaskState.REJECTED);
        assertEquals(1L, awaitReplacement(t, TaskState.RUNNING).slot());
    }

    @Test
    void conditionNoneLeavesTheSlotComplete() {
        Task t = running("web", Fixtures.restart(Condition.NONE, Duration.ZERO, 0, Duration.ZERO));
        report(t, TaskState.FAILED);
        store.await("the task's desired state to be complete", v -> v.tasks().get(t.id()).desiredState() == TaskState.COMPLETE);
        assertEquals(List.of(t.id()), tasksOf(settle(), "web").stream().map(Task::id).toList());
    }

    @Test
    void conditionOnFailureRestartsAFailureButNotACleanExit() {
        RestartPolicy onFailure = Fixtures.restart(Condition.ON_FAILURE, Duration.ZERO, 0, Duration.ZERO);
        Task failed = running("failing", onFailure);
        Task clean = running("clean", onFailure);
        report(failed, TaskState.FAILED);
        report(clean, TaskState.COMPLETE);
        awaitReplacement(failed, TaskState.RUNNING);
        store.await("the clean exit to be left complete", v -> v.tasks().get(clean.id()).desiredState() == TaskState.COMPLETE);
        assertEquals(1, tasksOf(settle(), "clean").size());
    }

    @Test
    void maxAttemptsStopsTheRestarts() {
        Task first = running("web", Fixtures.restart(Condition.ANY, Duration.ZERO, 2, Duration.ZERO));
        Task second = failAndAwaitRestart(first);
        Task third = failAndAwaitRestart(second);
        report(third, TaskState.FAILED);
        store.await("the third task to be left complete", v -> v.tasks().get(third.id()).desiredState() == TaskState.COMPLETE);
        assertEquals(3, tasksOf(settle(), "web").size(), "one run and two restarts");
    }

    @Test
    void attemptsOutsideTheWindowDoNotCount() {
        Task first = running("web", Fixtures.restart(Condition.ANY, Duration.ZERO, 1, Duration.ofSeconds(10)));
        Task second = failAndAwaitRestart(first);
        clock.advance(Duration.ofSeconds(20));
        Task third = failAndAwaitRestart(second);
        report(third, TaskState.FAILED);
        store.await("the third task to be left complete", v -> v.tasks().get(third.id()).desiredState() == TaskState.COMPLETE);
    }

    @Test
    void aTaskOnANodeThatWentDownIsReplaced() {
        Task t = running("web", Fixtures.restart(Condition.ANY, Duration.ZERO, 0, Duration.ZERO));
        store.commit(Change.update(store.view().nodes().get(n1.id()).withStatus(new NodeStatus(NodeStatus.State.DOWN, "heartbeat failure", null), clock.instant())));
        awaitReplacement(t, TaskState.RUNNING);
        assertEquals(TaskState.SHUTDOWN, store.view().tasks().get(t.id()).desiredState());
        assertEquals(TaskState.RUNNING, store.view().tasks().get(t.id()).state(), "the observed state is the node's to report");
    }

    @Test
    void aHeldTaskStartsOnceTheTaskItReplacesHasStopped() {
        Task old = running("web", Fixtures.restart(Condition.ANY, Duration.ofSeconds(5), 0, Duration.ZERO));
        Service s = store.view().services().get(old.serviceId());
        Task held = Fixtures.task(s, 1, TaskState.NEW, TaskState.READY, null, clock.instant());
        store.commit(Change.update(old.withDesiredState(TaskState.SHUTDOWN, clock.instant())), Change.create(held));
        settle();
        assertEquals(TaskState.READY, store.view().tasks().get(held.id()).desiredState(), "the old task still runs");
        report(old, TaskState.SHUTDOWN);
        store.await("the held task to start, with no restart delay after a requested stop",
                v -> v.tasks().get(held.id()).desiredState() == TaskState.RUNNING);
    }

    @Test
    void aRestartDelayOutlivesALeaderChange() {
        Task t = running("web", Fixtures.restart(Condition.ANY, Duration.ofSeconds(10), 0, Duration.ZERO));
        report(t, TaskState.FAILED);
        Task next = awaitReplacement(t, TaskState.READY);
        loops.close();
        clock.advance(Duration.ofSeconds(10));
        assertEquals(TaskState.READY, store.view().tasks().get(next.id()).desiredState(), "no leader, nothing moves");
        loops = new Loops(store.store(), clock).run(new RestartSupervisor(store.store(), clock));
        store.await("the new term to start the task whose delay passed", v -> v.tasks().get(next.id()).desiredState() == TaskState.RUNNING);
    }
}
