package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;

/**
 * How a service rolls onto a new spec ({@code UpdateConfig}) or back to the previous one
 * ({@code RollbackConfig}), as in the Docker Engine API. Durations are nanoseconds. Unset fields
 * take Docker's defaults ({@link #withDefaults()}): parallelism 1, no delay, failure action pause,
 * monitor 5 s, max failure ratio 0, order stop-first.
 *
 * @param parallelism     tasks replaced at once; 0 replaces them all at once
 * @param delay           nanoseconds between batches
 * @param failureAction   what a failed update does: pause, continue or rollback (a rollback
 *                        config allows pause and continue)
 * @param monitor         nanoseconds a new task is watched after it starts; a failure within it
 *                        counts against the update
 * @param maxFailureRatio the share of replaced tasks allowed to fail before the failure action,
 *                        between 0 and 1
 * @param order           stop-first (the old task stops before the new one starts) or start-first
 */
public record UpdateConfig(Long parallelism, Long delay, FailureAction failureAction, Long monitor, Double maxFailureRatio, Order order) {
    public static final Duration DEFAULT_MONITOR = Duration.ofSeconds(5);
    public static final UpdateConfig DEFAULT =
            new UpdateConfig(1L, 0L, FailureAction.PAUSE, DEFAULT_MONITOR.toNanos(), 0.0, Order.STOP_FIRST);

    public enum FailureAction {
        PAUSE("pause"), CONTINUE("continue"), ROLLBACK("rollback");

        private final String wire;

        FailureAction(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wireName() {
            return wire;
        }

        @JsonCreator
        public static FailureAction fromWire(String s) {
            for (FailureAction a : values()) {
                if (a.wire.equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("invalid failure action: " + s + ": must be one of pause, continue, rollback");
        }
    }

    public enum Order {
        STOP_FIRST("stop-first"), START_FIRST("start-first");

        private final String wire;

        Order(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wireName() {
            return wire;
        }

        @JsonCreator
        public static Order fromWire(String s) {
            for (Order o : values()) {
                if (o.wire.equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("invalid update order: " + s + ": must be stop-first or start-first");
        }
    }

    /** This config with every unset field given Docker's default. */
    public UpdateConfig withDefaults() {
        return new UpdateConfig(
                parallelism == null ? DEFAULT.parallelism : parallelism,
                delay == null ? DEFAULT.delay : delay,
                failureAction == null ? DEFAULT.failureAction : failureAction,
                monitor == null ? DEFAULT.monitor : monitor,
                maxFailureRatio == null ? DEFAULT.maxFailureRatio : maxFailureRatio,
                order == null ? DEFAULT.order : order);
    }

    /** {@code config} with defaults, or the defaults when it is null. */
    public static UpdateConfig orDefault(UpdateConfig config) {
        return config == null ? DEFAULT : config.withDefaults();
    }
}
