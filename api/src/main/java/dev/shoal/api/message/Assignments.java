package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.Task;
import java.util.List;

/**
 * What the dispatcher streams to an agent. The first message of a session is the complete set of
 * tasks assigned to the node ({@code complete} true); each later one carries only the changes
 * since the previous message: tasks added or changed ({@code tasks}) and tasks no longer assigned
 * ({@code removed}). {@code sequence} counts the messages of the session from 1, so an agent that
 * sees a gap (or a change before a complete set) ends the session and gets a complete set again:
 * it never misses or applies a change twice.
 *
 * @param heartbeatPeriodNanos how often the agent must send a heartbeat
 * @param node                 what the node should know about itself and the swarm; null when unchanged
 */
public record Assignments(long heartbeatPeriodNanos, long sequence, boolean complete, List<Task> tasks,
                          @JsonProperty("Removed") List<TaskId> removed, NodeInfo node) {
    public Assignments {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        removed = removed == null ? List.of() : List.copyOf(removed);
    }

    /** A complete set (the shape of tests and of the first message). */
    public Assignments(long heartbeatPeriodNanos, List<Task> tasks) {
        this(heartbeatPeriodNanos, 1, true, tasks, List.of(), null);
    }

    /**
     * @param role      the role the swarm wants this node in ({@code manager} or {@code worker}); a
     *                  node whose certificate says otherwise renews it and changes role
     * @param managers  the managers' API addresses, to dial when the current one goes away
     * @param trustRoot the root certificates to trust, PEM (more than one during a CA rotation)
     */
    public record NodeInfo(String role, List<String> managers, String trustRoot) {
        public NodeInfo {
            managers = managers == null ? List.of() : List.copyOf(managers);
        }
    }
}
