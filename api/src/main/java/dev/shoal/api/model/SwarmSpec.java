package dev.shoal.api.model;

/**
 * Cluster-wide settings.
 *
 * @param orchestration task history kept per slot (default 5)
 * @param dispatcher    heartbeat period in nanoseconds (default 5 s)
 * @param caConfig      node certificate expiry in nanoseconds (default 90 days, at least 1 h)
 */
public record SwarmSpec(String name, Orchestration orchestration, Dispatcher dispatcher, @com.fasterxml.jackson.annotation.JsonProperty("CAConfig") CaConfig caConfig) {
    public record Orchestration(Long taskHistoryRetentionLimit) {}

    public record Dispatcher(Long heartbeatPeriod) {}

    /** Docker's {@code CAConfig}; only {@code NodeCertExpiry} so far. */
    public record CaConfig(Long nodeCertExpiry) {}

    public static final long DEFAULT_TASK_HISTORY = 5;
    public static final long DEFAULT_HEARTBEAT_NANOS = 5_000_000_000L;
    public static final long DEFAULT_CERT_EXPIRY_NANOS = 90L * 24 * 3600 * 1_000_000_000L;
    public static final long MIN_CERT_EXPIRY_NANOS = 3600L * 1_000_000_000L;

    public SwarmSpec(String name, Orchestration orchestration, Dispatcher dispatcher) {
        this(name, orchestration, dispatcher, null);
    }

    public static SwarmSpec defaults() {
        return new SwarmSpec("default", new Orchestration(DEFAULT_TASK_HISTORY), new Dispatcher(DEFAULT_HEARTBEAT_NANOS),
                new CaConfig(DEFAULT_CERT_EXPIRY_NANOS));
    }

    public long taskHistoryLimit() {
        return orchestration == null || orchestration.taskHistoryRetentionLimit() == null
                ? DEFAULT_TASK_HISTORY : orchestration.taskHistoryRetentionLimit();
    }

    public long heartbeatPeriodNanos() {
        return dispatcher == null || dispatcher.heartbeatPeriod() == null
                ? DEFAULT_HEARTBEAT_NANOS : dispatcher.heartbeatPeriod();
    }

    public long nodeCertExpiryNanos() {
        return caConfig == null || caConfig.nodeCertExpiry() == null ? DEFAULT_CERT_EXPIRY_NANOS : caConfig.nodeCertExpiry();
    }
}
