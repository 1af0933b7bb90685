package dev.shoal.dataplane.testing;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Tasks as the manager would assign them. */
public final class TestTasks {
    /** The project's test image, built from the host's busybox ({@link TestImage}). */
    public static final String IMAGE = "shoal-test/busybox:latest";
    /** Runs until stopped, and exits 0 at once on SIGTERM (Docker's PID 1 needs the trap). */
    public static final String LONG_RUNNING = "trap 'exit 0' TERM; sleep 300 & wait";

    private TestTasks() {}

    /** {@code sh -c script} with a 1 s stop grace period. */
    public static ContainerSpec shell(String script) {
        return new ContainerSpec(IMAGE, List.of("sh", "-c", script), null, null, Map.of("test", "shoal"), null,
                Duration.ofSeconds(1).toNanos());
    }

    /** A task of service {@code service}, slot {@code slot}, assigned to {@code node}. */
    public static Task task(NodeId node, String service, long slot, ContainerSpec spec, TaskState desired) {
        Instant now = Instant.now();
        return new Task(TaskId.random(), new Version(1), now, now, ServiceId.random(), service, slot, node,
                new TaskSpec(spec, null, null), new Version(1), TaskStatus.of(TaskState.ASSIGNED, "assigned", now), desired);
    }

    public static Task running(NodeId node, String service, long slot, ContainerSpec spec) {
        return task(node, service, slot, spec, TaskState.RUNNING);
    }
}
