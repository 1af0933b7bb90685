package dev.shoal.controlplane.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Keeps at most {@code max} sends under way and queues the rest. Submitting never blocks and
 * never sends on the submitter's thread: sends run on {@code drainer}, so whatever a send waits
 * for (Ratis appends a request to its log before its submit call returns) is never waited for on
 * a caller's thread, which may be an event loop.
 *
 * <p>Sends start in submission order: one drain at a time (the usual work-in-progress counter)
 * polls the queue, so two commits submitted one after the other by one thread reach the Raft log
 * in that order.
 *
 * <p>Thread-safe.
 */
final class InFlightLimiter<T> {
    private final int max;
    private final Consumer<T> send;
    private final Executor drainer;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();

    InFlightLimiter(int max, Executor drainer, Consumer<T> send) {
        this.max = max;
        this.drainer = drainer;
        this.send = send;
    }

    void submit(T request) {
        queue.add(request);
        schedule();
    }

    /** Called once for each request {@code send} was given, when its reply (or failure) is in. */
    void release() {
        inFlight.decrementAndGet();
        schedule();
    }

    /** Removes and returns the requests not yet sent (for failing them on close). */
    List<T> takeQueued() {
        List<T> out = new ArrayList<>();
        for (T r; (r = queue.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }

    int inFlight() {
        return inFlight.get();
    }

    private void schedule() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        try {
            drainer.execute(this::drain);
        } catch (RejectedExecutionException closing) {
            // the owner is closing and fails what is left in the queue
            wip.set(0);
        }
    }

    private void drain() {
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
