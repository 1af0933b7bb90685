package dev.shoal.cli.command;

import dev.shoal.api.model.UpdateConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --rollback-*} flags: the service's {@code RollbackConfig}, as {@link UpdatePolicyOptions}. */
final class RollbackPolicyOptions {
    @Option(names = "--rollback-parallelism", paramLabel = "N", converter = Converters.NonNegativeLongConverter.class,
            description = "Maximum number of tasks rolled back simultaneously (0 to roll back all at once) (default 1)")
    Long parallelism;

    @Option(names = "--rollback-delay", paramLabel = "DURATION", converter = Converters.NonNegativeDurationConverter.class,
            description = "Delay between task rollbacks (ns|us|ms|s|m|h) (default 0s)")
    Duration delay;

    @Option(names = "--rollback-failure-action", paramLabel = "ACTION", converter = Converters.RollbackFailureActionConverter.class,
            description = "Action on rollback failure (\"pause\", \"continue\") (default \"pause\")")
    UpdateConfig.FailureAction failureAction;

    @Option(names = "--rollback-monitor", paramLabel = "DURATION", converter = Converters.NonNegativeDurationConverter.class,
            description = "Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h) (default 5s)")
    Duration monitor;

    @Option(names = "--rollback-max-failure-ratio", paramLabel = "RATIO", converter = Converters.RatioConverter.class,
            description = "Failure rate to tolerate during a rollback (0 to 1)")
    Double maxFailureRatio;

    @Option(names = "--rollback-order", paramLabel = "ORDER",
            description = "Rollback order (\"start-first\", \"stop-first\") (default \"stop-first\")")
    UpdateConfig.Order order;

    UpdateConfig applyTo(UpdateConfig base) {
        return UpdatePolicyOptions.merge(base, parallelism, delay, failureAction, monitor, maxFailureRatio, order);
    }
}
