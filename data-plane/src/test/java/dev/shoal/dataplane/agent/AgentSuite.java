package dev.shoal.dataplane.agent;

import static dev.shoal.dataplane.testing.TestTasks.LONG_RUNNING;
import static dev.shoal.dataplane.testing.TestTasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.AgentMessage;
import dev.shoal.api.message.AgentMessage.TaskStatusUpdate;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.ContainerStatus;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.testing.Await;
import dev.shoal.dataplane.testing.TestTasks;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent against a real dispatcher session (in-process RSocket) and a real executor, written
 * once and run on each executor by subclassing ({@code DockerAgentTest}, {@code ProcessAgentTest}).
 */
abstract class AgentSuite {
    private static final Logger log = LoggerFactory.getLogger(AgentSuite.class);
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Duration HEARTBEAT = Duration.ofMillis(200);

    protected final NodeId nodeId = NodeId.random();
    protected TestDispatcher dispatcher;
    protected Executor executor;
    protected Agent agent;

    /** A new executor for {@link #nodeId} (the same data, a fresh instance). */
    protected abstract Executor newExecutor();

    /** A spec this executor must refuse, and the words of the refusal. */
    protected abstract ContainerSpec unrunnableSpec();

    protected abstract String expectedRejection();

    /** How many instances the runtime has for {@code task}, whatever their state. */
    protected abstract int instanceCount(TaskId task);

    /** SIGKILL from the host to the task's main process, behind the agent's back. */
    protected static void killFromOutside(ContainerStatus running) {
        ProcessHandle.of(running.pid()).orElseThrow().destroyForcibly();
    }

    /** Removes every instance and process this test created (found by its node id only). */
    protected abstract void cleanUp();

    /** How long 50 tasks may take to reach RUNNING on this runtime; the measured figure is logged. */
    protected abstract Duration fiftyTasksBudget();

    @BeforeEach
    void startAgent() {
        dispatcher = new TestDispatcher(HEARTBEAT);
        executor = newExecutor();
        agent = startAgent(executor);
    }

    @AfterEach
    void stopAgent() {
        try {
            agent.close();
            executor.close();
            dispatcher.close();
            assertEquals(List.of(), dispatcher.violations(), "protocol violations");
        } finally {
            cleanUp();
        }
    }

    protected Agent startAgent(Executor e) {
        var description = new NodeDescription("test-node", new NodeDescription.Platform("x86_64", "linux"),
                new NodeDescription.Resources(2_000_000_000L, 1L << 30), new NodeDescription.Engine("test"), null);
        return Agent.start(new Agent.Config(nodeId, description, Duration.ofMillis(50), Duration.ofMillis(500)), e, dispatcher.connector());
    }

    protected Task running(String service, int slot, ContainerSpec spec) {
        return TestTasks.running(nodeId, service, slot, spec);
    }

    protected void awaitState(Task task, TaskState state) {
        Await.until(TIMEOUT, () -> dispatcher.state(task.id()) == state,
                () -> "task " + task.containerName() + " " + state + "; the manager has " + dispatcher.status(task.id())
                        + ", history " + dispatcher.history(task.id()));
    }

    protected static boolean dead(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    @Test
    void assignedTasksGoThroughEveryStateToRunning() {
        List<Task> tasks = IntStream.rangeClosed(1, 3).mapToObj(i -> running("web", i, shell(LONG_RUNNING))).toList();

        dispatcher.assign(tasks);

        for (Task t : tasks) {
            awaitState(t, TaskState.RUNNING);
            assertEquals(List.of(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY, TaskState.STARTING, TaskState.RUNNING),
                    dispatcher.history(t.id()));
            TaskStatus running = dispatcher.status(t.id());
            assertNotNull(running.containerStatus().containerId(), "RUNNING names the instance");
            assertTrue(running.containerStatus().pid() > 0, "RUNNING carries the pid");
            assertFalse(dead(running.containerStatus().pid()));
            assertEquals(1, instanceCount(t.id()));
        }
        AgentMessage hello = dispatcher.messages(0).getFirst();
        assertEquals(nodeId.value(), hello.hello().nodeId());
        assertEquals(executor.name(), hello.hello().description().executor(), "the executor fills in the description");
        long updates = dispatcher.messages(0).stream().filter(m -> m.updates() != null).mapToLong(m -> m.updates().size()).sum();
        long updateMessages = dispatcher.messages(0).stream().filter(m -> m.updates() != null).count();
        assertEquals(15, updates);
        assertTrue(updateMessages < updates, "updates close in time are batched: " + updateMessages + " messages for " + updates);
        assertEquals(TaskState.RUNNING, agent.taskStatuses().get(tasks.getFirst().id()).state());
    }

    @Test
    void heartbeatsFollowThePeriodTheManagerSets() {
        dispatcher.assign(List.of());
        long before = dispatcher.heartbeats();

        Await.until(TIMEOUT, () -> dispatcher.heartbeats() >= before + 3,
                () -> "3 heartbeats at the " + HEARTBEAT.toMillis() + " ms period (default 5 s)");
    }

    @Test
    void aForgottenTaskIsRemovedOnceAndThenLeftAlone() {
        // Regression: a forgotten task used to be reconciled again after each removal, which
        // forgot it again, forever: one runtime call per loop, an idle daemon loading dockerd.
        agent.close();
        CountingExecutor counting = new CountingExecutor(executor);
        agent = startAgent(counting);
        Task dropped = running("web", 1, shell(LONG_RUNNING));
        dispatcher.assign(List.of(dropped));
        awaitState(dropped, TaskState.RUNNING);

        dispatcher.assign(List.of());
        Await.until(TIMEOUT, () -> !agent.taskStatuses().containsKey(dropped.id()) && instanceCount(dropped.id()) == 0,
                () -> "the agent forgot the dropped task and removed its instance");
        reactor.core.publisher.Mono.delay(Duration.ofSeconds(1)).block(); // a window for any repeated removal to show
        assertEquals(1, counting.removes(dropped.id()), "removals of the forgotten task's instance");
    }

    @Test
    void aTaskRemovedFromTheSetIsStoppedAndItsInstanceRemoved() {
        Task kept = running("web", 1, shell(LONG_RUNNING));
        Task dropped = running("web", 2, shell(LONG_RUNNING));
        dispatcher.assign(List.of(kept, dropped));
        awaitState(kept, TaskState.RUNNING);
        awaitState(dropped, TaskState.RUNNING);
        long droppedPid = dispatcher.status(dropped.id()).containerStatus().pid();

        dispatcher.assign(List.of(kept));

        Await.until(TIMEOUT, () -> instanceCount(dropped.id()) == 0 && dead(droppedPid), () -> "the dropped task's instance is gone");
        Await.until(TIMEOUT, () -> !agent.taskStatuses().containsKey(dropped.id()), () -> "the agent forgot the dropped task");
        assertEquals(1, instanceCount(kept.id()));
        assertFalse(dead(dispatcher.status(kept.id()).containerStatus().pid()), "the kept task still runs");
        assertEquals(TaskState.RUNNING, dispatcher.state(kept.id()));
    }

    @Test
    void desiredShutdownStopsTheTaskReportsShutdownAndKeepsTheInstanceUntilTheTaskGoes() {
        Task task = running("web", 1, shell(LONG_RUNNING));
        dispatcher.assign(List.of(task));
        awaitState(task, TaskState.RUNNING);
        long pid = dispatcher.status(task.id()).containerStatus().pid();

        dispatcher.assign(List.of(task.withDesiredState(TaskState.SHUTDOWN, Instant.now())));

        awaitState(task, TaskState.SHUTDOWN);
        assertTrue(dead(pid) || ProcessHandle.of(pid).isEmpty(), "stopped");
        Await.until(TIMEOUT, () -> dead(pid), () -> "the task's process is gone");
        assertEquals(1, instanceCount(task.id()), "kept for history, as Docker does");

        dispatcher.assign(List.of());

        Await.until(TIMEOUT, () -> instanceCount(task.id()) == 0, () -> "removed once the task left the set");
    }

    @Test
    void desiredRemoveStopsAndRemovesTheInstance() {
        Task task = running("web", 1, shell(LONG_RUNNING));
        dispatcher.assign(List.of(task));
        awaitState(task, TaskState.RUNNING);

        dispatcher.assign(List.of(task.withDesiredState(TaskState.REMOVE, Instant.now())));

        awaitState(task, TaskState.SHUTDOWN);
        Await.until(TIMEOUT, () -> instanceCount(task.id()) == 0, () -> "the instance of a task desired REMOVE is removed");
    }

    @Test
    void aKillFromOutsideIsReportedFailedAndTheTaskIsNotRestarted() {
        Task task = running("web", 1, shell(LONG_RUNNING));
        dispatcher.assign(List.of(task));
        awaitState(task, TaskState.RUNNING);
        ContainerStatus running = dispatcher.status(task.id()).containerStatus();

        long t0 = System.nanoTime();
        killFromOutside(running);
        awaitState(task, TaskState.FAILED);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        TaskStatus failed = dispatcher.status(task.id());
        assertEquals("task: non-zero exit (137)", failed.err());
        assertEquals(137, failed.containerStatus().exitCode());
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "FAILED reached the manager after " + took.toMillis() + " ms");
        dispatcher.assign(List.of(task)); // the same set again: an ended task never runs again
        assertEquals(1, instanceCount(task.id()));
        assertEquals(TaskState.FAILED, dispatcher.history(task.id()).getLast());
    }

    // ---- healthchecks --------------------------------------------------------------------------

    /** A healthcheck that runs the given shell check every 200 ms, unhealthy after 2 failures. */
    protected static ContainerSpec withCheck(ContainerSpec spec, String check) {
        return spec.withHealthcheck(new HealthConfig(List.of("CMD-SHELL", check), 200_000_000L, 2_000_000_000L, 2L, 0L));
    }

    @Test
    void aTaskWithAHealthcheckIsRunningOnlyOnceHealthy() {
        // healthy only once the task has written its marker, a second after it started; the start
        // period keeps the failed checks before that from counting
        String marker = "/tmp/shoal-health-" + nodeId.shortForm() + "-" + System.nanoTime();
        Task t = running("web", 1, shell("(sleep 1; mkdir -p /tmp; touch " + marker + ") & " + LONG_RUNNING).withHealthcheck(
                new HealthConfig(List.of("CMD-SHELL", "test -e " + marker), 200_000_000L, 2_000_000_000L, 2L, 10_000_000_000L)));
        try {
            dispatcher.assign(List.of(t));
            Await.until(TIMEOUT, () -> dispatcher.status(t.id()) != null && "starting (health: starting)".equals(dispatcher.status(t.id()).message()),
                    () -> "STARTING while the check fails; history " + dispatcher.history(t.id()));
            assertEquals(TaskState.STARTING, dispatcher.state(t.id()));
            awaitState(t, TaskState.RUNNING);
            List<TaskState> history = dispatcher.history(t.id());
            assertEquals(List.of(TaskState.STARTING, TaskState.RUNNING), history.subList(history.size() - 2, history.size()));
        } finally {
            new File(marker).delete();
        }
    }

    @Test
    void anUnhealthyTaskIsReportedFailedAndStopped() {
        Task t = running("web", 1, withCheck(shell(LONG_RUNNING), "echo not ready; exit 1"));
        dispatcher.assign(List.of(t));
        awaitState(t, TaskState.FAILED);
        TaskStatus failed = dispatcher.status(t.id());
        assertEquals("task: container unhealthy (last check: not ready)", failed.err());
        assertFalse(dispatcher.history(t.id()).contains(TaskState.RUNNING), "never RUNNING: " + dispatcher.history(t.id()));
        Await.until(TIMEOUT, () -> executor.controller(t).inspect().blockOptional(TIMEOUT).map(i -> !i.isRunning()).orElse(true),
                () -> "the unhealthy instance to be stopped");
    }

    @Test
    void noHealthcheckRunsAtOnce() {
        Task t = running("web", 1, shell(LONG_RUNNING).withHealthcheck(HealthConfig.none()));
        dispatcher.assign(List.of(t));
        awaitState(t, TaskState.RUNNING);
        assertEquals("started", dispatcher.status(t.id()).message());
    }

    @Test
    void exitsAreReportedCompleteOrFailedAndRefusalsRejected() {
        Task completes = running("job", 1, shell("exit 0"));
        Task fails = running("job", 2, shell("exit 3"));
        Task refused = running("job", 3, unrunnableSpec());

        dispatcher.assign(List.of(completes, fails, refused));

        awaitState(completes, TaskState.COMPLETE);
        awaitState(fails, TaskState.FAILED);
        awaitState(refused, TaskState.REJECTED);
        assertEquals(0, dispatcher.status(completes.id()).containerStatus().exitCode());
        assertEquals("task: non-zero exit (3)", dispatcher.status(fails.id()).err());
        assertTrue(dispatcher.status(refused.id()).err().contains(expectedRejection()), dispatcher.status(refused.id()).err());
        assertEquals(List.of(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.REJECTED), dispatcher.history(refused.id()));
    }

    @Test
    void desiredReadyPreparesWithoutStarting() {
        Task task = TestTasks.task(nodeId, "web", 1, shell(LONG_RUNNING), TaskState.READY);
        dispatcher.assign(List.of(task));
        awaitState(task, TaskState.READY);
        assertEquals(1, instanceCount(task.id()));
        assertEquals(List.of(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY), dispatcher.history(task.id()));

        dispatcher.assign(List.of(task.withDesiredState(TaskState.RUNNING, Instant.now())));

        awaitState(task, TaskState.RUNNING);
        assertEquals(1, instanceCount(task.id()), "started the prepared instance, did not make another");
    }

    @Test
    void aRestartedAgentAdoptsItsTasksWithoutDuplicatesAndRemovesTheRest() {
        Task kept = running("web", 1, shell(LONG_RUNNING));
        Task forgotten = running("web", 2, shell(LONG_RUNNING));
        dispatcher.assign(List.of(kept, forgotten));
        awaitState(kept, TaskState.RUNNING);
        awaitState(forgotten, TaskState.RUNNING);
        ContainerStatus before = dispatcher.status(kept.id()).containerStatus();
        long forgottenPid = dispatcher.status(forgotten.id()).containerStatus().pid();

        agent.close();
        executor.close(); // a daemon restart: the tasks keep running
        assertFalse(dead(before.pid()), "closing the agent leaves tasks running");
        dispatcher.assignQuietly(List.of(kept)); // meanwhile the manager dropped one
        executor = newExecutor();
        agent = startAgent(executor);

        Await.until(TIMEOUT, () -> agent.taskStatuses().containsKey(kept.id()), () -> "the new agent adopted the running task");
        assertEquals(TaskState.RUNNING, agent.taskStatuses().get(kept.id()).state());
        Await.until(TIMEOUT, () -> dispatcher.sessionCount() == 2, () -> "the new agent opened a session");
        Await.until(TIMEOUT, () -> instanceCount(forgotten.id()) == 0 && dead(forgottenPid),
                () -> "the instance of a task not in the first set is stopped and removed");
        assertEquals(1, instanceCount(kept.id()), "no duplicate of the adopted task");
        ContainerStatus after = dispatcher.status(kept.id()).containerStatus();
        assertEquals(before.containerId(), after.containerId());
        assertEquals(before.pid(), after.pid());
        assertFalse(dead(before.pid()));
        assertTrue(reportedRunningAfterHello(1, kept.id()), "the new session told the manager the truth about the adopted task");
    }

    @Test
    void aLostSessionIsResumedWithTheCurrentStatuses() {
        Task task = running("web", 1, shell(LONG_RUNNING));
        dispatcher.assign(List.of(task));
        awaitState(task, TaskState.RUNNING);

        dispatcher.dropSession();

        Await.until(TIMEOUT, () -> dispatcher.sessionCount() == 2, () -> "the agent reconnected");
        Await.until(TIMEOUT, () -> reportedRunningAfterHello(1, task.id()), () -> "the statuses were sent again after hello");
        Await.until(TIMEOUT, agent::isConnected, () -> "connected");
        assertEquals(1, instanceCount(task.id()));
    }

    @Test
    void fiftyTasksReachRunningFast() {
        List<Task> tasks = IntStream.rangeClosed(1, 50).mapToObj(i -> running("scale", i, shell(LONG_RUNNING))).toList();
        dispatcher.assign(List.of());
        Await.until(TIMEOUT, agent::isConnected, () -> "the session is up before the clock starts");

        long t0 = System.nanoTime();
        dispatcher.assign(tasks);
        Await.until(Duration.ofSeconds(120), () -> tasks.stream().allMatch(t -> dispatcher.state(t.id()) == TaskState.RUNNING),
                () -> "50 tasks RUNNING");
        Duration up = Duration.ofNanos(System.nanoTime() - t0);

        long t1 = System.nanoTime();
        dispatcher.assign(List.of());
        Await.until(Duration.ofSeconds(120), () -> tasks.stream().allMatch(t -> instanceCount(t.id()) == 0), () -> "50 tasks removed");
        Duration down = Duration.ofNanos(System.nanoTime() - t1);

        log.info("{} executor: 50 tasks RUNNING in {} ms, stopped and removed in {} ms", executor.name(), up.toMillis(), down.toMillis());
        assertTrue(up.compareTo(fiftyTasksBudget()) < 0, "50 tasks took " + up.toMillis() + " ms to reach RUNNING");
    }

    private boolean reportedRunningAfterHello(int session, TaskId id) {
        if (dispatcher.sessionCount() <= session) {
            return false;
        }
        List<TaskStatusUpdate> updates = new ArrayList<>();
        dispatcher.messages(session).stream().filter(m -> m.updates() != null).forEach(m -> updates.addAll(m.updates()));
        return updates.stream().anyMatch(u -> u.taskId().equals(id) && u.status().state() == TaskState.RUNNING);
    }
}
