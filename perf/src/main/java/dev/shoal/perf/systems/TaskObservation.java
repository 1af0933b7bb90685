package dev.shoal.perf.systems;

import java.time.Instant;

/**
 * One task as a single poll of a target's task list saw it, in Docker's words.
 *
 * @param taskId       the task's id
 * @param slot         the replica slot
 * @param state        observed state, lower case ("running")
 * @param desiredState desired state, lower case
 * @param containerId  the Docker container id, null before the container exists
 * @param createdAt    when the task was created (state NEW)
 * @param stateSince   when the task reached {@code state}, as its manager recorded it
 */
public record TaskObservation(
        String taskId, long slot, String state, String desiredState, String containerId, Instant createdAt, Instant stateSince) {

    /** Observed and desired state are both "running". */
    public boolean isRunning() {
        return "running".equals(state) && "running".equals(desiredState);
    }
}
