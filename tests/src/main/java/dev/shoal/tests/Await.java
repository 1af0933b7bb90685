package dev.shoal.tests;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a condition with a deadline, re-checking every few milliseconds. Tests wait on
 * conditions, never on fixed sleeps; the failure message says what was awaited and what was seen.
 */
public final class Await {
    private static final Logger log = LoggerFactory.getLogger(Await.class);
    private static final long POLL_MILLIS = 25;

    private Await() {}

    /** Waits until {@code condition} is true; fails with {@code what} and the last value of {@code seen}. */
    public static Duration until(Duration timeout, String what, Supplier<Boolean> condition, Supplier<?> seen) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    log.debug("{}: after {} ms", what, took.toMillis());
                    return took;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                Object observed;
                try {
                    observed = seen.get();
                } catch (RuntimeException e) {
                    observed = e;
                }
                AssertionError error = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; last seen: " + observed);
                if (last != null) {
                    error.addSuppressed(last);
                }
                throw error;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Waits until {@code value} yields a non-null value and returns it. */
    public static <T> T value(Duration timeout, String what, Supplier<T> value) {
        java.util.concurrent.atomic.AtomicReference<T> seen = new java.util.concurrent.atomic.AtomicReference<>();
        until(timeout, what, () -> {
            T v = value.get();
            seen.set(v);
            return v != null;
        }, seen::get);
        return seen.get();
    }

    public static Duration until(Duration timeout, String what, Supplier<Boolean> condition) {
        return until(timeout, what, condition, () -> "(nothing)");
    }

    /**
     * Checks that {@code condition} stays true for the whole of {@code window}, re-checking every
     * few milliseconds: for things that must not happen (a restart loop, a duplicate).
     */
    public static void holds(Duration window, String what, Supplier<Boolean> condition, Supplier<?> seen) {
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            if (!Boolean.TRUE.equals(condition.get())) {
                throw new AssertionError("expected " + what + " for " + window.toMillis() + " ms; broken, seen: " + seen.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted checking " + what, e);
            }
        }
    }
}
