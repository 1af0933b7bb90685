package dev.shoal.controlplane.reconcile;

import dev.shoal.controlplane.store.ClusterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * Runs one {@link Reconciler} for as long as this manager leads: a first full pass at start, then
 * a pass after every burst of store changes the reconciler {@link Reconciler#concerns concerns},
 * and at the deadlines passes ask for.
 *
 * <p>Bursts are coalesced: a change arriving while a pass is pending or running only marks the
 * loop dirty, and at most one more pass follows, {@code coalesce} after the last one finished. A
 * stale write re-runs the pass at once on a newer view; any other failure is logged and retried
 * with a backoff up to {@link #MAX_BACKOFF}.
 *
 * <p>Threading: passes run on the {@code work} scheduler one at a time; deadlines are measured on
 * {@code clock} and waited for on {@code timers}, so a test can drive both with virtual time.
 */
public final class ReconcileLoop implements Disposable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);
    /** The longest wait before a failed pass is retried. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    /**
     * What a loop runs on.
     *
     * @param clock    the clock deadlines are measured on
     * @param work     where passes run (a single-threaded scheduler keeps passes of several loops apart)
     * @param timers   where deadlines are waited for
     * @param coalesce how long a change waits for more changes before a pass starts
     */
    public record Runtime(Clock clock, Scheduler work, Scheduler timers, Duration coalesce) {}

    private final String name;
    private final ClusterStore store;
    private final Reconciler reconciler;
    private final Runtime runtime;
    private final AtomicInteger wip = new AtomicInteger();
    private final Disposable.Swap timer = Disposables.swap();
    private final Disposable.Swap watch = Disposables.swap();
    private volatile boolean disposed;
    /** Consecutive failed passes; touched only by the serialized pass callbacks. */
    private int failures;

    private ReconcileLoop(String name, ClusterStore store, Reconciler reconciler, Runtime runtime) {
        this.name = name;
        this.store = store;
        this.reconciler = reconciler;
        this.runtime = runtime;
    }

    /** Starts watching the store and runs a first full pass. */
    public static ReconcileLoop start(String name, ClusterStore store, Reconciler reconciler, Runtime runtime) {
        ReconcileLoop loop = new ReconcileLoop(name, store, reconciler, runtime);
        loop.watch.update(store.watch()
                .filter(reconciler::concerns)
                .subscribe(e -> loop.trigger(),
                        e -> log.warn("{}: the store's watch stream failed; no more passes on changes", name, e)));
        loop.trigger();
        return loop;
    }

    /** Asks for a pass; a pass already pending absorbs this one. Thread-safe. */
    public void trigger() {
        if (!disposed && wip.getAndIncrement() == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            runtime.work().schedule(this::run, Math.max(0, runtime.coalesce().toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: the work scheduler is stopped; no more passes", name);
        }
    }

    private void run() {
        if (disposed) {
            return;
        }
        int missed = wip.get();
        try {
            reconciler.reconcile(store.view())
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .subscribe(wake -> finished(missed, null, wake.orElse(null)), e -> finished(missed, e, null));
        } catch (RuntimeException e) {
            finished(missed, e, null);
        }
    }

    private void finished(int missed, Throwable error, Instant wake) {
        if (error == null) {
            failures = 0;
            wakeAt(wake);
        } else if (Commits.isStale(error)) {
            log.debug("{}: stale write ({}), running again on a newer view", name, error.getMessage());
            wip.incrementAndGet();
        } else if (!disposed) {
            failures++;
            long backoff = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 16));
            log.warn("{}: pass failed ({} in a row), retrying in {} ms", name, failures, backoff, error);
            wakeAt(runtime.clock().instant().plusMillis(backoff));
        }
        if (wip.addAndGet(-missed) != 0 && !disposed) {
            schedule();
        }
    }

    private void wakeAt(Instant wake) {
        if (wake == null) {
            timer.update(Disposables.disposed());
            return;
        }
        long delay = Math.max(0, Duration.between(runtime.clock().instant(), wake).toNanos());
        try {
            timer.update(runtime.timers().schedule(this::trigger, delay, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            log.debug("{}: the timer scheduler is stopped; no wake-up at {}", name, wake);
        }
    }

    @Override
    public void dispose() {
        disposed = true;
        watch.dispose();
        timer.dispose();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    @Override
    public String toString() {
        return "ReconcileLoop[" + name + "]";
    }
}
