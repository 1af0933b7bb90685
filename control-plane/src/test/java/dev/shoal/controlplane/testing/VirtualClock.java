package dev.shoal.controlplane.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A clock that reads a {@link VirtualTimeScheduler}: advancing the scheduler moves this clock and
 * fires the timers scheduled on it, so timing logic runs in virtual time without sleeps.
 */
public final class VirtualClock extends Clock {
    public static final Instant EPOCH = Instant.parse("2026-03-01T12:00:00Z");

    private final VirtualTimeScheduler scheduler;

    public VirtualClock(VirtualTimeScheduler scheduler) {
        this.scheduler = scheduler;
    }

    public static VirtualClock create() {
        return new VirtualClock(VirtualTimeScheduler.create());
    }

    public VirtualTimeScheduler scheduler() {
        return scheduler;
    }

    public void advance(java.time.Duration d) {
        scheduler.advanceTimeBy(d);
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(scheduler.now(TimeUnit.NANOSECONDS));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
