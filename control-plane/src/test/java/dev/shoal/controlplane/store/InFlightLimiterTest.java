package dev.shoal.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {
    @Test
    void sendsAtMostMaxAndTheRestInOrderAsRepliesComeIn() {
        List<Integer> sent = new ArrayList<>();
        InFlightLimiter<Integer> limiter = new InFlightLimiter<>(2, Runnable::run, sent::add);
        for (int i = 0; i < 5; i++) {
            limiter.submit(i);
        }
        assertEquals(List.of(0, 1), sent);
        assertEquals(2, limiter.inFlight());

        limiter.release();
        assertEquals(List.of(0, 1, 2), sent);
        limiter.release();
        limiter.release();
        assertEquals(List.of(0, 1, 2, 3, 4), sent);
        limiter.release();
        limiter.release();
        assertEquals(0, limiter.inFlight());
    }

    @Test
    void releaseFromInsideSendDoesNotRecurse() {
        List<Integer> sent = new ArrayList<>();
        InFlightLimiter<Integer>[] self = new InFlightLimiter[1];
        self[0] = new InFlightLimiter<>(1, Runnable::run, i -> {
            sent.add(i);
            self[0].release(); // a send that fails at once
        });
        for (int i = 0; i < 10_000; i++) {
            self[0].submit(i);
        }
        assertEquals(10_000, sent.size());
        assertEquals(0, self[0].inFlight());
    }

    @Test
    void sendsRunOnTheDrainerNotOnTheSubmitter() {
        List<Runnable> drains = new ArrayList<>();
        List<Integer> sent = new ArrayList<>();
        InFlightLimiter<Integer> limiter = new InFlightLimiter<>(4, drains::add, sent::add);
        limiter.submit(1);
        limiter.submit(2);
        assertEquals(List.of(), sent);
        assertEquals(1, drains.size()); // one drain scheduled for both
        drains.getFirst().run();
        assertEquals(List.of(1, 2), sent);
    }

    @Test
    void rejectedDrainLeavesRequestsQueuedForTheOwnerToFail() {
        List<Integer> sent = new ArrayList<>();
        InFlightLimiter<Integer> limiter = new InFlightLimiter<>(4, r -> {
            throw new java.util.concurrent.RejectedExecutionException("closed");
        }, sent::add);
        limiter.submit(1);
        limiter.submit(2);
        assertEquals(List.of(1, 2), limiter.takeQueued());
        assertEquals(List.of(), sent);
    }

    @Test
    void queuedRequestsCanBeTakenBackOnClose() {
        List<Integer> sent = new ArrayList<>();
        InFlightLimiter<Integer> limiter = new InFlightLimiter<>(1, Runnable::run, sent::add);
        limiter.submit(1);
        limiter.submit(2);
        limiter.submit(3);
        assertEquals(List.of(2, 3), limiter.takeQueued());
        limiter.release();
        assertEquals(List.of(1), sent);
    }
}
