package dev.shoal.api.model;

/**
 * Cluster-wide settings.
 *
 * @param orchestration task history kept per slot (default 5)
 * @param dispatcher    heartbeat period in nanoseconds (default 5 s)
 */
public record SwarmSpec(String name, Orchestration orchestration, Dispatcher dispatcher) {
    public record Orchestration(Long taskHistoryRetentionLimit) {}

    public record Dispatcher(Long heartbeatPeriod) {}

    public static final long DEFAULT_TASK_HISTORY = 5;
    public static final long DEFAULT_HEARTBEAT_NANOS = 5_000_000_000L;

    public static SwarmSpec defaults() {
        return new SwarmSpec("default", new Orchestration(DEFAULT_TASK_HISTORY), new Dispatcher(DEFAULT_HEARTBEAT_NANOS));
    }

    public long taskHistoryLimit() {
        return orchestration == null || orchestration.taskHistoryRetentionLimit() == null
                ? DEFAULT_TASK_HISTORY : orchestration.taskHistoryRetentionLimit();
    }

    public long heartbeatPeriodNanos() {
        return dispatcher == null || dispatcher.heartbeatPeriod() == null
                ? DEFAULT_HEARTBEAT_NANOS : dispatcher.heartbeatPeriod();
    }
}
