package dev.shoal.dataplane.agent;

import static dev.shoal.dataplane.testing.TestTasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.executor.Instance;
import dev.shoal.dataplane.executor.ProcessExecutor;
import dev.shoal.dataplane.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent suite on child processes; instances are counted from the executor's state. */
class ProcessAgentTest extends AgentSuite {
    @TempDir
    Path dataDir;

    @Override
    protected Executor newExecutor() {
        return new ProcessExecutor(nodeId, dataDir);
    }

    @Override
    protected ContainerSpec unrunnableSpec() {
        return new ContainerSpec(TestTasks.IMAGE, List.of("shoal-no-such-executable"), null, null, null, null, null);
    }

    @Override
    protected String expectedRejection() {
        return "exec: \"shoal-no-such-executable\": executable file not found in $PATH";
    }

    @Override
    protected int instanceCount(TaskId task) {
        return executor.instances().filter(i -> i.taskId().equals(task)).count().block(Duration.ofSeconds(5)).intValue();
    }

    @Override
    protected Duration fiftyTasksBudget() {
        return Duration.ofSeconds(5);
    }

    /** Removes what this test's data directory recorded; each removal kills the task's whole session. */
    @Override
    protected void cleanUp() {
        try (ProcessExecutor last = new ProcessExecutor(nodeId, dataDir)) {
            for (Instance i : last.instances().collectList().block(Duration.ofSeconds(5))) {
                last.controller(i).remove().block(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aTaskWithLimitsIsRejectedRatherThanRunUnlimited() {
        Task t = running("limited", 1, TestTasks.shell(TestTasks.LONG_RUNNING));
        t = new Task(t.id(), t.version(), t.createdAt(), t.updatedAt(), t.serviceId(), t.serviceName(), t.slot(), t.nodeId(),
                t.spec().withResources(new ResourceRequirements(new ResourceRequirements.Resources(null, 64L << 20, null), null)),
                t.serviceVersion(), t.status(), t.desiredState());
        dispatcher.assign(List.of(t));
        awaitState(t, TaskState.REJECTED);
        assertEquals("the process executor cannot enforce resource limits (--limit-cpu, --limit-memory, --limit-pids): "
                + "run this service on a node with the Docker executor", dispatcher.status(t.id()).err());
    }

    @Test
    void aHealthcheckThatTimesOutMakesTheTaskUnhealthy() {
        Task t = running("slow", 1, shell(TestTasks.LONG_RUNNING).withHealthcheck(
                new HealthConfig(List.of("CMD", "/bin/sleep", "5"), 200_000_000L, 100_000_000L, 2L, 0L)));
        dispatcher.assign(List.of(t));
        awaitState(t, TaskState.FAILED);
        assertEquals("task: container unhealthy (last check: Health check exceeded timeout (PT0.1S))", dispatcher.status(t.id()).err());
    }

    @Test
    void failuresWithinTheStartPeriodDoNotCount() {
        Task t = running("warm", 1, shell(TestTasks.LONG_RUNNING).withHealthcheck(
                new HealthConfig(List.of("CMD-SHELL", "exit 1"), 100_000_000L, 1_000_000_000L, 1L, 3_000_000_000L)));
        long t0 = System.nanoTime();
        dispatcher.assign(List.of(t));
        awaitState(t, TaskState.FAILED);
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(took >= 2_900, "failed only after the 3 s start period, took " + took + " ms");
    }
}
