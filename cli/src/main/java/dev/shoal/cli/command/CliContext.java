package dev.shoal.cli.command;

import dev.shoal.cli.console.Output;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What every command runs with, given by {@link dev.shoal.cli.ShoalMain} (or a test): where to
 * print, the environment ({@code SHOAL_HOST}), the clock used for "5 seconds ago", and how long
 * to wait for a service to converge.
 *
 * @param convergeTimeout how long {@code service create/update/scale} wait before giving up
 * @param verifyWindow    how long a converged service must stay converged (Docker's 5 s monitor)
 */
public record CliContext(Output output, Map<String, String> env, Clock clock, Duration convergeTimeout, Duration verifyWindow) {
    public static final Duration DEFAULT_CONVERGE_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_VERIFY_WINDOW = Duration.ofSeconds(5);

    public CliContext {
        env = Map.copyOf(env);
    }

    public static CliContext of(Output output, Map<String, String> env) {
        return new CliContext(output, env, Clock.systemUTC(), DEFAULT_CONVERGE_TIMEOUT, DEFAULT_VERIFY_WINDOW);
    }

    public CliContext withVerifyWindow(Duration window) {
        return new CliContext(output, env, clock, convergeTimeout, window);
    }

    public CliContext withConvergeTimeout(Duration timeout) {
        return new CliContext(output, env, clock, timeout, verifyWindow);
    }
}
