package dev.shoal.api.message;

import dev.shoal.api.model.Task;
import java.util.List;

/**
 * What the dispatcher streams to an agent: the complete set of tasks assigned to the node, each
 * with its desired state. The agent converges its local tasks on each set it receives; a task
 * absent from the set and present locally is stopped and removed.
 *
 * @param heartbeatPeriodNanos how often the agent must send a heartbeat
 */
public record Assignments(long heartbeatPeriodNanos, List<Task> tasks) {
    public Assignments {
        tasks = List.copyOf(tasks);
    }
}
