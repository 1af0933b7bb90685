package dev.shoal.cli.command;

import dev.shoal.api.model.SwarmSpec;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The swarm settings {@code swarm init} and {@code swarm update} share (Docker's swarm flags).
 * Only the flags given end up in the spec; the others stay null, for the daemon to fill in its
 * defaults (init) or keep the current values (update). Values are checked by the daemon, which
 * names the field and the rule (a {@code --cert-expiry} below 1h, a negative history limit).
 */
final class SwarmSpecOptions {
    @Option(names = "--cert-expiry", paramLabel = "DURATION",
            description = "Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)")
    private Duration certExpiry;

    @Option(names = "--dispatcher-heartbeat", paramLabel = "DURATION",
            description = "Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)")
    private Duration dispatcherHeartbeat;

    @Option(names = "--task-history-limit", paramLabel = "N", description = "Task history retention limit (default 5)")
    private Long taskHistoryLimit;

    /** A spec holding only the flags given; null when none was. */
    SwarmSpec spec() {
        if (certExpiry == null && dispatcherHeartbeat == null && taskHistoryLimit == null) {
            return null;
        }
        return new SwarmSpec(null,
                taskHistoryLimit == null ? null : new SwarmSpec.Orchestration(taskHistoryLimit),
                dispatcherHeartbeat == null ? null : new SwarmSpec.Dispatcher(dispatcherHeartbeat.toNanos()),
                certExpiry == null ? null : new SwarmSpec.CaConfig(certExpiry.toNanos()));
    }
}
