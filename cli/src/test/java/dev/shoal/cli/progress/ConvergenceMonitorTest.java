package dev.shoal.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.api.model.Version;
import dev.shoal.cli.console.Output;
import dev.shoal.cli.console.ProgressDisplay;
import dev.shoal.cli.console.ProgressDisplay.Line;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The monitor over scripted snapshots (a service's update status and its tasks, one snapshot per
 * look) on a virtual clock: each wait advances the clock by the poll interval, nothing sleeps.
 */
class ConvergenceMonitorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ServiceId SERVICE = ServiceId.of("svc");
    private static final TaskSpec OLD = new TaskSpec(ContainerSpec.of("nginx:1"), null, null);
    private static final TaskSpec NEW = new TaskSpec(ContainerSpec.of("nginx:2"), null, null);
    private static final String FAILED_TASK = "update paused due to failure or early termination of task t4";
    private static final String ROLLED_BACK = "update rolled back due to failure or early termination of task t4";

    /** A clock that moves only when the monitor waits. */
    private static final class VirtualClock extends Clock {
        private Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final VirtualClock clock = new VirtualClock();
    private final List<List<Line>> shown = new ArrayList<>();

    private ConvergenceMonitor monitor(Duration verifyWindow) {
        return new ConvergenceMonitor(null, shown::add, clock, verifyWindow, Duration.ofMinutes(1));
    }

    /** Each look returns the next snapshot; the last one stays. */
    private static ConvergenceMonitor.Source script(List<ConvergenceMonitor.Snapshot> snapshots) {
        int[] next = {0};
        return () -> snapshots.get(Math.min(next[0]++, snapshots.size() - 1));
    }

    private ConvergenceMonitor.Waiter waiter() {
        return max -> clock.now = clock.now.plus(max);
    }

    private static ConvergenceMonitor.Snapshot snapshot(TaskSpec template, UpdateStatus status, TaskSpec running, int replicas) {
        Service service = new Service(SERVICE, new Version(10), T0, T0,
                new ServiceSpec("web", null, template, ServiceMode.replicated(replicas)), null, status, null, null);
        List<Task> tasks = new ArrayList<>();
        for (int slot = 1; slot <= replicas; slot++) {
            tasks.add(new Task(TaskId.of("t" + slot), new Version(1), T0, T0, SERVICE, "web", slot, NodeId.of("n1"), running,
                    new Version(10), new TaskStatus(T0, TaskState.RUNNING, "running", null, null), TaskState.RUNNING));
        }
        return new ConvergenceMonitor.Snapshot(service, tasks, List.of());
    }

    private static UpdateStatus status(UpdateStatus.State state, String message) {
        return new UpdateStatus(state, T0, state == UpdateStatus.State.COMPLETED || state == UpdateStatus.State.ROLLBACK_COMPLETED ? T0 : null, message);
    }

    private List<String> lastBlock() {
        return shown.getLast().stream().map(Line::render).toList();
    }

    @Test
    void anUpdateEndsWhenTheStatusCompletesNotWhenTheTasksFirstMatch() throws InterruptedException {
        UpdateStatus updating = status(UpdateStatus.State.UPDATING, "update in progress");
        ConvergenceMonitor.Outcome outcome = monitor(Duration.ZERO).follow(script(List.of(
                snapshot(NEW, updating, OLD, 3),
                snapshot(NEW, updating, NEW, 3), // every task is new, but the updater still monitors them
                snapshot(NEW, updating, NEW, 3),
                snapshot(NEW, status(UpdateStatus.State.COMPLETED, "update completed"), NEW, 3))), waiter(), updating);
        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals(4, shown.size(), "converged only at the fourth look, once COMPLETED");
        assertFalse(shown.get(2).stream().anyMatch(l -> l.id().equals("verify")));
        assertEquals(List.of("overall progress: 3 out of 3 tasks",
                "1/3: running   [==================================================>]",
                "2/3: running   [==================================================>]",
                "3/3: running   [==================================================>]",
                "verify: Service converged"), lastBlock());
    }

    @Test
    void aPausedUpdateEndsTheWaitWithItsMessage() throws InterruptedException {
        UpdateStatus updating = status(UpdateStatus.State.UPDATING, "update in progress");
        ConvergenceMonitor.Outcome outcome = monitor(Duration.ofSeconds(5)).follow(script(List.of(
                snapshot(NEW, updating, OLD, 2),
                snapshot(NEW, status(UpdateStatus.State.PAUSED, FAILED_TASK), OLD, 2))), waiter(), updating);
        assertFalse(outcome.converged());
        assertEquals("service update paused: " + FAILED_TASK, outcome.failure());
        assertEquals(T0.plusSeconds(1), clock.now, "ended at the second look, not at the timeout");
    }

    @Test
    void anAutomaticRollbackIsShownAndFailsTheUpdate() throws InterruptedException {
        UpdateStatus updating = status(UpdateStatus.State.UPDATING, "update in progress");
        StringWriter out = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(Output.to(new PrintWriter(out), new PrintWriter(new StringWriter()), false));
        ConvergenceMonitor monitor = new ConvergenceMonitor(null, lines -> {
            shown.add(lines);
            display.show(lines);
        }, clock, Duration.ZERO, Duration.ofMinutes(1));
        ConvergenceMonitor.Outcome outcome = monitor.follow(script(List.of(
                snapshot(NEW, updating, OLD, 3),
                snapshot(OLD, status(UpdateStatus.State.ROLLBACK_STARTED, ROLLED_BACK), NEW, 3),
                snapshot(OLD, status(UpdateStatus.State.ROLLBACK_COMPLETED, "rollback completed"), OLD, 3))), waiter(), updating);
        assertTrue(outcome.converged());
        assertEquals("service update rolled back: " + ROLLED_BACK, outcome.failure());
        String text = out.toString().replace(System.lineSeparator(), "\n");
        assertTrue(text.contains("rollback: " + ROLLED_BACK + "\n"), text);
        assertTrue(text.contains("overall progress: rolling back update: 0 out of 3 tasks\n"), text);
        assertTrue(text.contains("overall progress: rolling back update: 3 out of 3 tasks\n"), text);
        assertTrue(text.endsWith("verify: Service converged\n"), text);
        assertFalse(text.contains("\u001b"), "no escape codes off a terminal");
    }

    @Test
    void aManualRollbackShowsDockersLinesAndSucceeds() throws InterruptedException {
        UpdateStatus started = status(UpdateStatus.State.ROLLBACK_STARTED, "manually requested rollback");
        ConvergenceMonitor.Outcome outcome = monitor(Duration.ZERO).follow(script(List.of(
                snapshot(OLD, started, NEW, 3),
                snapshot(OLD, status(UpdateStatus.State.ROLLBACK_COMPLETED, "rollback completed"), OLD, 3))), waiter(), started);
        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals(new Line("rollback", "manually requested rollback"), shown.getFirst().getFirst());
        assertEquals(new Line("overall progress", "rolling back update: 0 out of 3 tasks"), shown.getFirst().get(1));
        assertEquals("overall progress: rolling back update: 3 out of 3 tasks", lastBlock().get(1));
        assertEquals("verify: Service converged", lastBlock().getLast());
    }

    @Test
    void aPausedRollbackEndsTheWaitWithItsMessage() throws InterruptedException {
        UpdateStatus started = status(UpdateStatus.State.ROLLBACK_STARTED, "manually requested rollback");
        ConvergenceMonitor.Outcome outcome = monitor(Duration.ZERO).follow(script(List.of(
                snapshot(OLD, status(UpdateStatus.State.ROLLBACK_PAUSED, "rollback paused due to failure of task t2"), NEW, 3))),
                waiter(), started);
        assertEquals("service rollback paused: rollback paused due to failure of task t2", outcome.failure());
    }

    @Test
    void aStatusFromAnEarlierUpdateIsNotFollowed() throws InterruptedException {
        // service scale after a paused update: no rollout starts, the old PAUSED must not end the wait
        ConvergenceMonitor.Outcome outcome = monitor(Duration.ZERO).follow(script(List.of(
                snapshot(NEW, status(UpdateStatus.State.PAUSED, FAILED_TASK), NEW, 2))), waiter(), null);
        assertTrue(outcome.succeeded(), outcome.toString());
        assertNull(outcome.failure());
    }

    @Test
    void theVerifyWindowCountsDownOnTheVirtualClock() throws InterruptedException {
        ConvergenceMonitor.Outcome outcome = monitor(Duration.ofSeconds(2)).follow(script(List.of(snapshot(NEW, null, NEW, 1))), waiter(), null);
        assertTrue(outcome.succeeded());
        assertEquals("verify: Waiting 2 seconds to verify that tasks are stable...", shown.getFirst().getLast().render());
        assertEquals("verify: Waiting 1 second to verify that tasks are stable...", shown.get(1).getLast().render());
        assertEquals(T0.plusSeconds(2), clock.now);
    }

    @Test
    void aJobEndsWithItsCompletionsWithoutWaitingForAnUpdateStatus() throws InterruptedException {
        UpdateStatus updating = status(UpdateStatus.State.UPDATING, "update in progress");
        Service job = new Service(SERVICE, new Version(10), T0, T0,
                new ServiceSpec("web", null, NEW, ServiceMode.ofReplicatedJob(1L, 1L)), null, updating, null, null);
        Task done = new Task(TaskId.of("j1"), new Version(1), T0, T0, SERVICE, "web", 1, NodeId.of("n1"), NEW,
                new Version(10), new TaskStatus(T0, TaskState.COMPLETE, "finished", null, null), TaskState.COMPLETE);
        ConvergenceMonitor.Outcome outcome = monitor(Duration.ofSeconds(5)).follow(
                script(List.of(new ConvergenceMonitor.Snapshot(job, List.of(done), List.of()))), waiter(), updating);
        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals(List.of("job progress: 1 out of 1 complete", "active tasks: 0 out of 1 tasks", "verify: Service converged"), lastBlock());
        assertEquals(T0, clock.now, "no verify window for a job");
    }
}
