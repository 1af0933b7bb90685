package dev.shoal.cli.command;

import dev.shoal.api.model.HealthConfig;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --health-*} and {@code --no-healthcheck} flags of {@code service create} and
 * {@code service update}. {@code --health-cmd} runs through the shell ({@code CMD-SHELL}), as
 * Docker's does; {@code --no-healthcheck} turns off even the image's healthcheck and may not be
 * combined with a {@code --health-*} flag.
 */
final class HealthcheckOptions {
    @Option(names = "--health-cmd", paramLabel = "CMD", description = "Command to run to check health")
    String cmd;

    @Option(names = "--health-interval", paramLabel = "DURATION", converter = Converters.NonNegativeDurationConverter.class,
            description = "Time between running the check (ms|s|m|h)")
    Duration interval;

    @Option(names = "--health-timeout", paramLabel = "DURATION", converter = Converters.NonNegativeDurationConverter.class,
            description = "Maximum time to allow one check to run (ms|s|m|h)")
    Duration timeout;

    @Option(names = "--health-retries", paramLabel = "N", converter = Converters.NonNegativeLongConverter.class,
            description = "Consecutive failures needed to report unhealthy")
    Long retries;

    @Option(names = "--health-start-period", paramLabel = "DURATION", converter = Converters.NonNegativeDurationConverter.class,
            description = "Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)")
    Duration startPeriod;

    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK")
    boolean noHealthcheck;

    private boolean anyHealthFlag() {
        return cmd != null || interval != null || timeout != null || retries != null || startPeriod != null;
    }

    /**
     * {@code base} with the flags given applied; {@code base} itself when none is.
     *
     * @throws ParameterException for {@code --no-healthcheck} with a {@code --health-*} flag
     */
    HealthConfig applyTo(HealthConfig base, CommandLine cli) {
        if (noHealthcheck) {
            if (anyHealthFlag()) {
                throw new ParameterException(cli, "--no-healthcheck conflicts with --health-* options");
            }
            return HealthConfig.none();
        }
        if (!anyHealthFlag()) {
            return base;
        }
        HealthConfig b = base == null || base.disabled() ? new HealthConfig(null, null, null, null, null) : base;
        List<String> test = cmd == null ? b.test() : (cmd.isEmpty() ? null : List.of("CMD-SHELL", cmd));
        return new HealthConfig(test,
                interval != null ? Long.valueOf(interval.toNanos()) : b.interval(),
                timeout != null ? Long.valueOf(timeout.toNanos()) : b.timeout(),
                retries != null ? retries : b.retries(),
                startPeriod != null ? Long.valueOf(startPeriod.toNanos()) : b.startPeriod());
    }
}
