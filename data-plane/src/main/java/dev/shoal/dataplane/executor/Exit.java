package dev.shoal.dataplane.executor;

import dev.shoal.api.id.TaskId;
import java.time.Instant;
import java.util.Objects;

/**
 * How an instance ended.
 *
 * @param taskId     the task whose instance exited
 * @param instanceId the container id or {@code pid:<n>}
 * @param exitCode   the exit code, 128 + signal for a signalled process as Docker reports it; null
 *                   when it cannot be known (a process adopted after a restart is not our child)
 * @param oomKilled  true when the kernel's OOM killer ended it
 * @param finishedAt when it exited (or when the executor noticed)
 * @param error      why the exit code is missing or what the runtime said, else null
 */
public record Exit(TaskId taskId, String instanceId, Integer exitCode, boolean oomKilled, Instant finishedAt, String error) {
    public Exit {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }
}
