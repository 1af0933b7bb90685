package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;

/**
 * When a task that exited is replaced. Durations are nanoseconds, as in the Docker Engine API.
 * Defaults (Docker's): condition {@code any}, delay 5 s, unlimited attempts, no window.
 *
 * @param condition   none, on-failure or any
 * @param delay       nanoseconds to wait before the replacement starts
 * @param maxAttempts replacements allowed within the window (0 = unlimited)
 * @param window      nanoseconds over which attempts are counted (0 = unbounded)
 */
public record RestartPolicy(Condition condition, Long delay, Long maxAttempts, Long window) {
    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
    public static final RestartPolicy DEFAULT = new RestartPolicy(Condition.ANY, DEFAULT_DELAY.toNanos(), 0L, 0L);

    public enum Condition {
        NONE("none"), ON_FAILURE("on-failure"), ANY("any");

        private final String wire;

        Condition(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wireName() {
            return wire;
        }

        @JsonCreator
        public static Condition fromWire(String s) {
            for (Condition c : values()) {
                if (c.wire.equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("invalid restart condition: " + s + ": must be one of none, on-failure, any");
        }
    }

    /** This policy with every unset field given Docker's default. */
    public RestartPolicy withDefaults() {
        return new RestartPolicy(
                condition == null ? Condition.ANY : condition,
                delay == null ? DEFAULT_DELAY.toNanos() : delay,
                maxAttempts == null ? 0L : maxAttempts,
                window == null ? 0L : window);
    }

    public Duration delayDuration() {
        return Duration.ofNanos(withDefaults().delay());
    }
}
