package dev.shoal.api.model;

import java.time.Instant;

/**
 * A task's observed state, as its node last reported it.
 *
 * @param timestamp       when the state was reached
 * @param state           the observed state
 * @param message         a short human word for the state ("created", "started", "assigned")
 * @param err             the reason for FAILED or REJECTED, or why a PENDING task waits
 * @param containerStatus the executor's view
 */
public record TaskStatus(Instant timestamp, TaskState state, String message, String err, ContainerStatus containerStatus) {
    public static TaskStatus of(TaskState state, String message, Instant now) {
        return new TaskStatus(now, state, message, null, null);
    }

    public TaskStatus withErr(String e) {
        return new TaskStatus(timestamp, state, message, e, containerStatus);
    }
}
