package dev.shoal.dataplane.executor;

/**
 * The executor refuses to run a task: the agent reports the task REJECTED with this message, as
 * Docker writes it where Docker has a wording ({@code No such image: X}). Not retryable: the
 * orchestrator may place a replacement elsewhere.
 */
public final class TaskRejectedException extends RuntimeException {
    public TaskRejectedException(String message) {
        super(message, null, false, false);
    }

    public TaskRejectedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
