package dev.shoal.controlplane.store;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Keeps at most {@code max} sends under way and queues the rest, without ever blocking the
 * submitting thread. Ratis' ordered async client takes a semaphore permit per request and blocks
 * the caller when none is left; with this limiter in front of it (and Ratis' limit set to the same
 * {@code max}) that never happens.
 *
 * <p>Sends start in submission order: a single drainer at a time (the usual work-in-progress
 * counter) polls the queue, so two commits submitted one after the other by one thread reach the
 * Raft log in that order.
 *
 * <p>Thread-safe. {@code send} runs on whichever thread drains: a submitter or the thread that
 * completed an earlier send; it must not block.
 */
final class InFlightLimiter<T> {
    private final int max;
    private final Consumer<T> send;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();

    InFlightLimiter(int max, Consumer<T> send) {
        this.max = max;
        this.send = send;
    }

    void submit(T request) {
        queue.add(request);
        drain();
    }

    /** Called once for each request {@code send} was given, when its reply (or failure) is in. */
    void release() {
        inFlight.decrementAndGet();
        drain();
    }

    /** Removes and returns the requests not yet sent (for failing them on close). */
    Queue<T> drainQueued() {
        Queue<T> out = new ConcurrentLinkedQueue<>();
        for (T r; (r = queue.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }

    int inFlight() {
        return inFlight.get();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            while (inFlight.get() < max) {
                T next = queue.poll();
                if (next == null) {
                    break;
                }
                inFlight.incrementAndGet();
                send.accept(next);
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }
}
