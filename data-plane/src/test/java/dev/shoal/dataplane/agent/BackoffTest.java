package dev.shoal.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(8);

    @Test
    void delaysDoubleFromMinUpToMaxWithAtMostTwentyPercentJitter() {
        Backoff b = new Backoff(MIN, MAX, new SplittableRandom(42));
        long expected = MIN.toMillis();
        for (int i = 0; i < 12; i++) {
            long d = b.next().toMillis();
            long base = Math.min(expected, MAX.toMillis());
            assertTrue(d <= base && d >= Math.max(MIN.toMillis(), base * 8 / 10), "attempt " + i + ": " + d + " ms for base " + base);
            expected *= 2;
        }
    }

    @Test
    void resetStartsAgainFromMin() {
        Backoff b = new Backoff(MIN, MAX, new SplittableRandom(1));
        for (int i = 0; i < 10; i++) {
            b.next();
        }
        b.reset();
        assertEquals(MIN, b.next(), "the first delay after a reset never goes below min");
    }

    @Test
    void neverOverflowsAfterManyAttempts() {
        Backoff b = new Backoff(MIN, MAX, new SplittableRandom(7));
        for (int i = 0; i < 200; i++) {
            Duration d = b.next();
            assertTrue(d.compareTo(MIN) >= 0 && d.compareTo(MAX) <= 0, d.toString());
        }
    }
}
