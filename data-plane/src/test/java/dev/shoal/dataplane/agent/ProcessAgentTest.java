package dev.shoal.dataplane.agent;

import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.executor.Instance;
import dev.shoal.dataplane.executor.ProcessExecutor;
import dev.shoal.dataplane.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
}
