package dev.shoal.dataplane.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delays between {@code min} and {@code max}, with jitter so that the nodes
 * of a swarm do not all reconnect to a new leader in the same instant. Not thread-safe.
 */
final class Backoff {
    private final Duration min;
    private final Duration max;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt: min, 2 min, 4 min, ... up to max, each less up to 20 %. */
    Duration next() {
        long base = min.toNanos() << Math.min(attempt, 30);
        if (base <= 0 || base > max.toNanos()) {
            base = max.toNanos();
        } else {
            attempt++;
        }
        long jittered = (long) (base * (1.0 - 0.2 * random.nextDouble()));
        return Duration.ofNanos(Math.max(min.toNanos(), Math.min(max.toNanos(), jittered)));
    }

    void reset() {
        attempt = 0;
    }
}
