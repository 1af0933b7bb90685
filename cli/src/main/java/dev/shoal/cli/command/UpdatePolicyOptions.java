package dev.shoal.cli.command;

import dev.shoal.api.model.UpdateConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code --update-*} flags of {@code service create} and {@code service update}: the
 * service's {@code UpdateConfig}. Unset flags keep the value they had (Docker's defaults on
 * create). {@link RollbackPolicyOptions} is the same for {@code --rollback-*}.
 */
final class UpdatePolicyOptions {
    @Option(names = "--update-parallelism", paramLabel = "N", converter = Converters.NonNegativeLongConverter.class,
            description = "Maximum number of tasks updated simultaneously (0 to update all at once) (default 1)")
    Long parallelism;

    @Option(names = "--update-delay", paramLabel = "DURATION", converter = Converters.NonNegativeDurationConverter.class,
            description = "Delay between updates (ns|us|ms|s|m|h) (default 0s)")
    Duration delay;

    @Option(names = "--update-failure-action", paramLabel = "ACTION", converter = Converters.FailureActionConverter.class,
            description = "Action on update failure (\"pause\", \"continue\", \"rollback\") (default \"pause\")")
    UpdateConfig.FailureAction failureAction;

    @Option(names = "--update-monitor", paramLabel = "DURATION", converter = Converters.NonNegativeDurationConverter.class,
            description = "Duration after each task update to monitor for failure (ns|us|ms|s|m|h) (default 5s)")
    Duration monitor;

    @Option(names = "--update-max-failure-ratio", paramLabel = "RATIO", converter = Converters.RatioConverter.class,
            description = "Failure rate to tolerate during an update (0 to 1)")
    Double maxFailureRatio;

    @Option(names = "--update-order", paramLabel = "ORDER",
            description = "Update order (\"start-first\", \"stop-first\") (default \"stop-first\")")
    UpdateConfig.Order order;

    UpdateConfig applyTo(UpdateConfig base) {
        return merge(base, parallelism, delay, failureAction, monitor, maxFailureRatio, order);
    }

    /** {@code base} with the values given (non-null) replaced; {@code base} itself when none is. */
    static UpdateConfig merge(UpdateConfig base, Long parallelism, Duration delay, UpdateConfig.FailureAction failureAction,
                              Duration monitor, Double maxFailureRatio, UpdateConfig.Order order) {
        if (parallelism == null && delay == null && failureAction == null && monitor == null && maxFailureRatio == null && order == null) {
            return base;
        }
        UpdateConfig b = base == null ? new UpdateConfig(null, null, null, null, null, null) : base;
        return new UpdateConfig(
                parallelism != null ? parallelism : b.parallelism(),
                delay != null ? Long.valueOf(delay.toNanos()) : b.delay(),
                failureAction != null ? failureAction : b.failureAction(),
                monitor != null ? Long.valueOf(monitor.toNanos()) : b.monitor(),
                maxFailureRatio != null ? maxFailureRatio : b.maxFailureRatio(),
                order != null ? order : b.order());
    }
}
