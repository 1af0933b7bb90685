package dev.shoal.dataplane.executor;

import static dev.shoal.dataplane.testing.TestTasks.LONG_RUNNING;
import static dev.shoal.dataplane.testing.TestTasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Task;
import dev.shoal.dataplane.testing.Await;
import dev.shoal.dataplane.testing.TestTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The behaviour every {@link Executor} must have, written once and run on each executor by
 * subclassing ({@code DockerExecutorTest}, {@code ProcessExecutorTest}).
 */
abstract class ExecutorSuite {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A task that ignores SIGTERM: only SIGKILL ends it. */
    static final String IGNORES_SIGTERM = "trap '' TERM; while true; do sleep 1; done";

    protected final NodeId nodeId = NodeId.random();
    protected Executor executor;
    private final List<Executor> opened = new ArrayList<>();

    /** A new executor for {@link #nodeId} (the same data, a fresh instance). */
    protected abstract Executor newExecutor();

    /** A spec this executor must refuse. */
    protected abstract ContainerSpec unrunnableSpec();

    /** The words of that refusal. */
    protected abstract String expectedRejection();

    /** A working directory that exists where the task runs. */
    protected abstract String workingDir();

    /**
     * SIGKILL to the instance's main process from the host, behind the executor's back, as
     * {@code kill -9} or the OOM killer would: one system call, so the time to see the exit is the
     * executor's alone (a container dies with its PID 1).
     */
    protected static void killFromOutside(Instance running) {
        ProcessHandle.of(running.pid()).orElseThrow().destroyForcibly();
    }

    /** True when the exit code of an instance adopted from a previous executor is known. */
    protected abstract boolean knowsExitCodeOfAdopted();

    /** Removes every instance and process this test created (found by its node id only). */
    protected abstract void cleanUp();

    @BeforeEach
    void openExecutor() {
        executor = open();
    }

    @AfterEach
    void closeAndCleanUp() {
        opened.forEach(Executor::close);
        cleanUp();
    }

    protected Executor open() {
        Executor e = newExecutor();
        opened.add(e);
        return e;
    }

    protected Task task(ContainerSpec spec) {
        return TestTasks.running(nodeId, "suite", 1, spec);
    }

    protected static <T> T await(Mono<T> mono) {
        return mono.block(TIMEOUT);
    }

    /**
     * Waits until the task's shell has a child (its {@code sleep}): by then it has set its SIGTERM
     * trap. The host sees a container's processes too, so this works on every executor.
     */
    protected static Instance awaitScriptReady(Instance running) {
        Await.until(TIMEOUT, () -> ProcessHandle.of(running.pid()).map(h -> h.children().findAny().isPresent()).orElse(false),
                () -> "the task's shell (pid " + running.pid() + ") reached its sleep");
        return running;
    }

    @Test
    void prepareCreatesAnInstanceWithoutStartingIt() {
        Task task = task(shell(LONG_RUNNING));
        Controller c = executor.controller(task);

        Instance created = await(c.prepare());

        assertEquals(task.id(), created.taskId());
        assertEquals(task.containerName(), created.name());
        assertEquals(Instance.State.CREATED, created.state());
        assertEquals(0, created.pid());
        assertEquals(Instance.State.CREATED, await(c.inspect()).state());
    }

    @Test
    void preparingTwiceNeverCreatesASecondInstance() {
        Task task = task(shell(LONG_RUNNING));
        Instance first = await(executor.controller(task).prepare());
        Instance second = await(executor.controller(task).prepare());

        assertEquals(first.id(), second.id());
        assertEquals(1, executor.instances().filter(i -> i.taskId().equals(task.id())).count().block(TIMEOUT));
    }

    @Test
    void startRunsTheTaskWithItsEnvironmentAndWorkingDirectory() {
        String dir = workingDir();
        var spec = new ContainerSpec(TestTasks.IMAGE, List.of("sh", "-c"),
                List.of("[ \"$GREETING\" = hello ] && [ \"$(pwd)\" = \"" + dir + "\" ] && exit 0; exit 9"),
                List.of("GREETING=hello"), Map.of(), dir, Duration.ofSeconds(1).toNanos());
        Controller c = executor.controller(task(spec));
        await(c.prepare());

        await(c.start());
        Exit exit = await(c.waitExit());

        assertEquals(0, exit.exitCode(), "exit code (9: the environment or the directory was not applied)");
    }

    @Test
    void startReportsTheRunningPid() {
        Controller c = executor.controller(task(shell(LONG_RUNNING)));
        await(c.prepare());

        Instance running = await(c.start());

        assertEquals(Instance.State.RUNNING, running.state());
        assertTrue(running.pid() > 0, "pid " + running.pid());
        assertTrue(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false), "the reported pid is a live host process");
        assertEquals(running.pid(), running.containerStatus().pid());
        assertEquals(running.id(), running.containerStatus().containerId());
        assertEquals(running.pid(), await(c.start()).pid(), "starting a running task is a no-op");
    }

    @Test
    void exitCodeIsReported() {
        Controller failing = executor.controller(task(shell("exit 3")));
        Controller succeeding = executor.controller(task(shell("exit 0")));
        await(failing.prepare());
        await(succeeding.prepare());
        await(failing.start());
        await(succeeding.start());

        assertEquals(3, await(failing.waitExit()).exitCode());
        assertEquals(0, await(succeeding.waitExit()).exitCode());
        Instance exited = await(failing.inspect());
        assertEquals(Instance.State.EXITED, exited.state());
        assertEquals(3, exited.exit().exitCode());
        assertEquals(false, exited.exit().oomKilled());
        assertEquals(3, exited.containerStatus().exitCode());
    }

    @Test
    void theExitStreamReportsEachRunOnce() {
        Task task = task(shell("exit 4"));
        Controller c = executor.controller(task);
        await(c.prepare());

        StepVerifier.create(executor.exits().filter(e -> e.taskId().equals(task.id())))
                .then(() -> await(c.start()))
                .assertNext(e -> assertEquals(4, e.exitCode()))
                // the safety-net reconcile runs meanwhile and must not report the exit again
                .expectNoEvent(DockerExecutor.RECONCILE_PERIOD.plusMillis(500))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aTaskNeverStartsTwice() {
        Controller c = executor.controller(task(shell("exit 0")));
        await(c.prepare());
        await(c.start());
        await(c.waitExit());

        StepVerifier.create(c.start()).expectError(IllegalStateException.class).verify(TIMEOUT);
    }

    @Test
    void stopSendsSigtermThenSigkillAfterTheGracePeriod() {
        Controller c = executor.controller(task(shell(IGNORES_SIGTERM)));
        await(c.prepare());
        awaitScriptReady(await(c.start()));
        Duration grace = Duration.ofSeconds(1);

        long t0 = System.nanoTime();
        Exit exit = await(c.stop(grace));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(137, exit.exitCode(), "killed by SIGKILL");
        assertTrue(took.compareTo(grace) >= 0, "SIGKILL came after " + took.toMillis() + " ms, before the grace period");
        assertTrue(took.compareTo(grace.plusSeconds(3)) < 0, "stop took " + took.toMillis() + " ms");
        assertEquals(Instance.State.EXITED, await(c.inspect()).state(), "kept for history");
    }

    @Test
    void stopEndsATaskThatHandlesSigtermWithinTheGracePeriod() {
        Controller c = executor.controller(task(shell(LONG_RUNNING)));
        await(c.prepare());
        awaitScriptReady(await(c.start()));

        long t0 = System.nanoTime();
        Exit exit = await(c.stop(Duration.ofSeconds(20)));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(0, exit.exitCode(), "its SIGTERM trap exits 0");
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "stop waited " + took.toMillis() + " ms for a task that exits on SIGTERM");
    }

    @Test
    void stopOfAnInstanceThatIsNotRunningIsEmpty() {
        Controller c = executor.controller(task(shell("exit 0")));
        StepVerifier.create(c.stop(Duration.ofSeconds(1))).as("no instance").verifyComplete();
        await(c.prepare());
        StepVerifier.create(c.stop(Duration.ofSeconds(1))).as("created, never started").verifyComplete();
        await(c.start());
        await(c.waitExit());
        StepVerifier.create(c.stop(Duration.ofSeconds(1))).as("exited").verifyComplete();
    }

    @Test
    void removeDeletesTheInstanceAndIsIdempotent() {
        Controller exited = executor.controller(task(shell("exit 0")));
        Controller running = executor.controller(task(shell(LONG_RUNNING)));
        await(exited.prepare());
        await(running.prepare());
        await(exited.start());
        await(exited.waitExit());
        Instance live = await(running.start());

        await(exited.remove());
        await(running.remove());
        await(running.remove());

        StepVerifier.create(exited.inspect()).verifyComplete();
        StepVerifier.create(running.inspect()).verifyComplete();
        Await.until(TIMEOUT, () -> ProcessHandle.of(live.pid()).map(h -> !h.isAlive()).orElse(true),
                () -> "the removed task's process " + live.pid() + " is gone");
    }

    @Test
    void unrunnableTaskIsRejectedWithTheReason() {
        Controller c = executor.controller(task(unrunnableSpec()));

        StepVerifier.create(c.prepare())
                .expectErrorSatisfies(e -> {
                    assertInstanceOf(TaskRejectedException.class, e);
                    assertTrue(e.getMessage().contains(expectedRejection()), "message: " + e.getMessage());
                })
                .verify(TIMEOUT);
        StepVerifier.create(c.inspect()).as("nothing was created").verifyComplete();
    }

    @Test
    void aKillFromOutsideIsSeenWithinOneSecond() {
        Task task = task(shell(LONG_RUNNING));
        Controller c = executor.controller(task);
        await(c.prepare());
        Instance running = await(c.start());
        var exit = executor.exits().filter(e -> e.taskId().equals(task.id())).next().toFuture();

        long t0 = System.nanoTime();
        killFromOutside(running);
        Exit seen = Mono.fromFuture(exit).block(TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(137, seen.exitCode());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "the exit was seen after " + took.toMillis() + " ms");
    }

    @Test
    void aNewExecutorAdoptsARunningInstance() {
        Task task = task(shell(LONG_RUNNING));
        Controller c = executor.controller(task);
        await(c.prepare());
        Instance running = await(c.start());
        executor.close(); // as a daemon restart would: the instance keeps running

        Executor next = open();
        List<Instance> found = next.instances().filter(i -> i.taskId().equals(task.id())).collectList().block(TIMEOUT);

        assertEquals(1, found.size(), "instances of the task: " + found);
        Instance adopted = found.getFirst();
        assertEquals(Instance.State.RUNNING, adopted.state());
        assertEquals(running.id(), adopted.id());
        assertEquals(running.pid(), adopted.pid());
        assertEquals(task.containerName(), adopted.name());
        assertEquals(Duration.ofSeconds(1), adopted.stopGracePeriod());
        Controller again = next.controller(task);
        assertEquals(running.id(), await(again.prepare()).id(), "no duplicate");
        assertEquals(running.pid(), await(again.start()).pid(), "not started again");

        var exit = next.exits().filter(e -> e.taskId().equals(task.id())).next().toFuture();
        long t0 = System.nanoTime();
        killFromOutside(running);
        Exit seen = Mono.fromFuture(exit).block(TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "the adopted instance's exit was seen after " + took.toMillis() + " ms");
        if (knowsExitCodeOfAdopted()) {
            assertEquals(137, seen.exitCode());
        } else {
            assertNull(seen.exitCode());
            assertEquals(ProcessExecutor.ADOPTED_EXIT_UNKNOWN, seen.error());
        }
    }

    @Test
    void anAdoptedInstanceWithoutItsTaskCanBeStoppedGentlyAndRemoved() {
        Task task = task(shell(IGNORES_SIGTERM));
        Controller c = executor.controller(task);
        await(c.prepare());
        awaitScriptReady(await(c.start()));
        executor.close();

        Executor next = open();
        Instance found = next.instances().filter(i -> i.taskId().equals(task.id())).blockFirst(TIMEOUT);
        assertNotNull(found);
        Controller orphan = next.controller(found);

        StepVerifier.create(orphan.start()).expectError(IllegalStateException.class).verify(TIMEOUT);
        long t0 = System.nanoTime();
        Exit exit = await(orphan.stop(found.stopGracePeriod()));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        await(orphan.remove());

        assertNotNull(exit);
        assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0, "the recorded 1 s grace period was given, took " + took.toMillis() + " ms");
        StepVerifier.create(orphan.inspect()).verifyComplete();
    }
}
