package dev.shoal.cli.command;

import dev.shoal.api.model.RestartPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --restart-*} flags of {@code service create} and {@code service update}. */
final class RestartOptions {
    @Option(names = "--restart-condition", paramLabel = "CONDITION",
            description = "Restart when condition is met (\"none\", \"on-failure\", \"any\") (default \"any\")")
    RestartPolicy.Condition condition;

    @Option(names = "--restart-delay", paramLabel = "DURATION",
            description = "Delay between restart attempts (ns|us|ms|s|m|h) (default 5s)")
    Duration delay;

    @Option(names = "--restart-max-attempts", paramLabel = "N",
            description = "Maximum number of restarts before giving up")
    Long maxAttempts;

    @Option(names = "--restart-window", paramLabel = "DURATION",
            description = "Window used to evaluate the restart policy (ns|us|ms|s|m|h)")
    Duration window;

    boolean isSet() {
        return condition != null || delay != null || maxAttempts != null || window != null;
    }

    /** {@code base} with the flags given applied; null when neither has anything. */
    RestartPolicy applyTo(RestartPolicy base) {
        if (!isSet()) {
            return base;
        }
        RestartPolicy b = base == null ? new RestartPolicy(null, null, null, null) : base;
        return new RestartPolicy(
                condition != null ? condition : b.condition(),
                delay != null ? Long.valueOf(delay.toNanos()) : b.delay(),
                maxAttempts != null ? maxAttempts : b.maxAttempts(),
                window != null ? Long.valueOf(window.toNanos()) : b.window());
    }
}
