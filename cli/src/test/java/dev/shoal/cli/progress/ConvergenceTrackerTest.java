package dev.shoal.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import dev.shoal.cli.console.ProgressDisplay.Line;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceTrackerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ServiceId SERVICE = ServiceId.of("svc");
    private static final TaskSpec TEMPLATE = new TaskSpec(ContainerSpec.of("busybox", "sleep", "300"), null, null);

    private static Service service(long replicas, TaskSpec template) {
        return new Service(SERVICE, new Version(10), T0, T0,
                new ServiceSpec("web", null, template, ServiceMode.replicated(replicas)), null);
    }

    private static Task task(String id, long slot, TaskState state, TaskState desired, int createdSecond) {
        return task(id, slot, state, desired, createdSecond, TEMPLATE, null);
    }

    private static Task task(String id, long slot, TaskState state, TaskState desired, int createdSecond, TaskSpec spec, String err) {
        Instant created = T0.plusSeconds(createdSecond);
        return new Task(TaskId.of(id), new Version(1), created, created, SERVICE, "web", slot, NodeId.of("n1"), spec,
                new Version(10), new TaskStatus(created, state, state.wireName(), err, null), desired);
    }

    @Test
    void convergedWhenEveryReplicaRuns() {
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(2, TEMPLATE), List.of(
                task("a", 1, TaskState.RUNNING, TaskState.RUNNING, 0),
                task("b", 2, TaskState.RUNNING, TaskState.RUNNING, 0)));
        assertTrue(p.converged());
        assertEquals(List.of(
                new Line("overall progress", "2 out of 2 tasks"),
                new Line("1/2", "running   [==================================================>]"),
                new Line("2/2", "running   [==================================================>]")), p.lines());
    }

    @Test
    void barsFollowDockersStateNumbers() {
        assertEquals("[=====>                                             ]", ConvergenceTracker.bar(TaskState.NEW));
        assertEquals("[======================>                            ]", ConvergenceTracker.bar(TaskState.ASSIGNED));
        assertEquals("[============================================>      ]", ConvergenceTracker.bar(TaskState.STARTING));
        assertEquals("[==================================================>]", ConvergenceTracker.bar(TaskState.RUNNING));
    }

    @Test
    void notConvergedWhileATaskStarts() {
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(2, TEMPLATE), List.of(
                task("a", 1, TaskState.RUNNING, TaskState.RUNNING, 0),
                task("b", 2, TaskState.PREPARING, TaskState.RUNNING, 0)));
        assertFalse(p.converged());
        assertEquals(new Line("overall progress", "1 out of 2 tasks"), p.lines().getFirst());
        assertEquals(new Line("2/2", "preparing [=================================>                 ]"), p.lines().get(2));
    }

    @Test
    void aFailedAttemptShowsItsErrorWhileTheNextOneStarts() {
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(1, TEMPLATE), List.of(
                task("old", 1, TaskState.REJECTED, TaskState.SHUTDOWN, 0, TEMPLATE, "No such image: busybox"),
                task("new", 1, TaskState.PENDING, TaskState.RUNNING, 5)));
        assertFalse(p.converged());
        assertEquals(new Line("1/1", "No such image: busybox"), p.lines().get(1));
        assertEquals(List.of("1/1: No such image: busybox"), p.errors());
    }

    @Test
    void anOldFailureIsForgottenOnceTheSlotRuns() {
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(1, TEMPLATE), List.of(
                task("old", 1, TaskState.FAILED, TaskState.SHUTDOWN, 0, TEMPLATE, "task: non-zero exit (1)"),
                task("new", 1, TaskState.RUNNING, TaskState.RUNNING, 5)));
        assertTrue(p.converged());
        assertTrue(p.errors().isEmpty());
    }

    @Test
    void aSlotWithOnlyAFailureShowsIt() {
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(1, TEMPLATE), List.of(
                task("old", 1, TaskState.FAILED, TaskState.SHUTDOWN, 0, TEMPLATE, "task: non-zero exit (1)")));
        assertFalse(p.converged());
        assertEquals(new Line("1/1", "task: non-zero exit (1)"), p.lines().get(1));
    }

    @Test
    void tasksOfAnOldTemplateDoNotCount() {
        TaskSpec updated = new TaskSpec(ContainerSpec.of("busybox", "sleep", "600"), null, null);
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(1, updated), List.of(
                task("a", 1, TaskState.RUNNING, TaskState.RUNNING, 0)));
        assertFalse(p.converged());
        assertEquals(0, p.running());
    }

    @Test
    void scaleDownWaitsForTheExtraTasksToStop() {
        ConvergenceTracker tracker = new ConvergenceTracker();
        List<Task> tasks = new ArrayList<>(List.of(
                task("a", 1, TaskState.RUNNING, TaskState.RUNNING, 0),
                task("b", 2, TaskState.RUNNING, TaskState.RUNNING, 0)));
        assertFalse(tracker.update(service(1, TEMPLATE), tasks).converged());
        tasks.set(1, task("b", 2, TaskState.RUNNING, TaskState.SHUTDOWN, 0));
        ConvergenceTracker.Progress p = tracker.update(service(1, TEMPLATE), tasks);
        assertTrue(p.converged());
        assertEquals(2, p.lines().size(), "only slot 1/1 is drawn");
    }

    @Test
    void slotsAreNumberedInTheOrderFirstSeen() {
        ConvergenceTracker tracker = new ConvergenceTracker();
        ConvergenceTracker.Progress p = tracker.update(service(2, TEMPLATE), List.of(
                task("a", 7, TaskState.RUNNING, TaskState.RUNNING, 0),
                task("b", 9, TaskState.NEW, TaskState.RUNNING, 0)));
        assertEquals("1/2", p.lines().get(1).id());
        assertEquals("2/2", p.lines().get(2).id());
        assertTrue(p.lines().get(2).text().startsWith("new"));
    }

    @Test
    void manyReplicasShowOnlyTheOverallLine() {
        List<Task> tasks = new ArrayList<>();
        for (int slot = 1; slot <= 25; slot++) {
            tasks.add(task("t" + slot, slot, TaskState.RUNNING, TaskState.RUNNING, 0));
        }
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(25, TEMPLATE), tasks);
        assertTrue(p.converged());
        assertEquals(1, p.lines().size());
    }

    @Test
    void zeroReplicasConvergeAtOnce() {
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(service(0, TEMPLATE), List.of());
        assertTrue(p.converged());
        assertEquals(new Line("overall progress", "0 out of 0 tasks"), p.lines().getFirst());
    }

    @Test
    void longErrorsAreCut() {
        String err = "x".repeat(300);
        assertEquals(ConvergenceTracker.MAX_ERROR_LENGTH, ConvergenceTracker.truncate(err).length());
    }
}
