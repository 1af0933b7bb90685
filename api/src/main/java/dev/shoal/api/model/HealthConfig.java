package dev.shoal.api.model;

import java.util.List;

/**
 * A container's healthcheck, Docker's {@code ContainerSpec.Healthcheck}. Durations are nanoseconds;
 * unset ones take Docker's defaults (interval 30 s, timeout 30 s, retries 3, start period 0).
 *
 * @param test        {@code ["NONE"]} turns the image's healthcheck off; {@code ["CMD", args...]}
 *                    runs a command; {@code ["CMD-SHELL", "cmd"]} runs it through {@code /bin/sh -c};
 *                    empty or null inherits the image's
 * @param interval    time between checks
 * @param timeout     how long a check may take before it counts as failed
 * @param retries     consecutive failures that make the container unhealthy
 * @param startPeriod time after start during which failures do not count
 */
public record HealthConfig(List<String> test, Long interval, Long timeout, Long retries, Long startPeriod) {
    public static final long DEFAULT_INTERVAL = 30_000_000_000L;
    public static final long DEFAULT_TIMEOUT = 30_000_000_000L;
    public static final long DEFAULT_RETRIES = 3;

    public HealthConfig {
        test = test == null ? null : List.copyOf(test);
    }

    /** {@code --no-healthcheck}. */
    public static HealthConfig none() {
        return new HealthConfig(List.of("NONE"), null, null, null, null);
    }

    /** True for {@code ["NONE"]}: no healthcheck, not even the image's. */
    public boolean disabled() {
        return test != null && !test.isEmpty() && "NONE".equals(test.getFirst());
    }

    public long intervalOrDefault() {
        return interval == null || interval == 0 ? DEFAULT_INTERVAL : interval;
    }

    public long timeoutOrDefault() {
        return timeout == null || timeout == 0 ? DEFAULT_TIMEOUT : timeout;
    }

    public long retriesOrDefault() {
        return retries == null || retries == 0 ? DEFAULT_RETRIES : retries;
    }

    public long startPeriodOrZero() {
        return startPeriod == null ? 0 : startPeriod;
    }
}
