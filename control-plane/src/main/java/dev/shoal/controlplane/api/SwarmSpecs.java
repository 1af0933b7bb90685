package dev.shoal.controlplane.api;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.model.SwarmSpec;

/** Docker's defaults for the swarm's settings, and their rules. Stateless. */
public final class SwarmSpecs {
    private SwarmSpecs() {}

    /** {@code spec} with every unset field given its default ({@link SwarmSpec#defaults()}). */
    public static SwarmSpec withDefaults(SwarmSpec spec) {
        SwarmSpec d = SwarmSpec.defaults();
        if (spec == null) {
            return d;
        }
        String name = spec.name() == null || spec.name().isEmpty() ? d.name() : spec.name();
        return new SwarmSpec(name,
                new SwarmSpec.Orchestration(spec.taskHistoryLimit()),
                new SwarmSpec.Dispatcher(spec.heartbeatPeriodNanos()),
                new SwarmSpec.CaConfig(spec.nodeCertExpiryNanos()));
    }

    /** Throws INVALID_ARGUMENT naming the first field that breaks a rule. */
    public static void validate(SwarmSpec spec) {
        long history = spec.taskHistoryLimit();
        if (history < 0) {
            throw ApiException.invalid("Orchestration.TaskHistoryRetentionLimit", history, "must be >= 0");
        }
        long heartbeat = spec.heartbeatPeriodNanos();
        if (heartbeat <= 0) {
            throw ApiException.invalid("Dispatcher.HeartbeatPeriod", heartbeat, "must be > 0");
        }
        long expiry = spec.nodeCertExpiryNanos();
        if (expiry < SwarmSpec.MIN_CERT_EXPIRY_NANOS) {
            throw ApiException.invalid("CAConfig.NodeCertExpiry", expiry, "must be at least 1h (3600000000000 ns)");
        }
    }
}
